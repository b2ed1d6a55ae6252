import { hostAllowListPattern, hostRefusalMessage, isHostAllowed } from '@meshviz/runtime';
import type { FastifyInstance } from 'fastify';
import { ApiHttpError } from '../errors.js';

/** An API name: alone, in a namespace, or the namespace's service name (`meshviz-api.meshviz-viz.svc.cluster.local`). */
const inCluster = (name: string) => `${name}(\\.[a-z0-9-]+(\\.svc(\\.cluster\\.local)?)?)?`;

/**
 * Default Host allow-list: loopback names and addresses, and the in-cluster names of the API and the dashboard in
 * any namespace. Checking Host blocks DNS rebinding (see packages/runtime/src/host-allow-list.ts).
 */
export const DEFAULT_ALLOWED_HOSTS = hostAllowListPattern([inCluster('meshviz-api'), inCluster('meshviz-web')]);

export function registerHostCheck(app: FastifyInstance, allowed: RegExp): void {
  app.addHook('onRequest', async (request) => {
    const host = request.headers.host;
    if (!isHostAllowed(host, allowed)) {
      throw new ApiHttpError(400, 'API_BAD_REQUEST', hostRefusalMessage(host, 'API_ALLOWED_HOSTS'), { param: 'Host' });
    }
  });
}
