import type { FastifyInstance } from 'fastify';
import { ApiHttpError } from '../errors.js';

/**
 * Default Host allow-list: loopback names and addresses, and the in-cluster service names. Checking Host blocks DNS
 * rebinding, where a hostile page makes the browser send requests to a local API under the attacker's own name.
 */
export const DEFAULT_ALLOWED_HOSTS =
  '^(localhost|127\\.0\\.0\\.1|\\[::1\\]|meshviz-api(\\.[a-z0-9-]+(\\.svc(\\.cluster\\.local)?)?)?|meshviz-web(\\.[a-z0-9-]+(\\.svc(\\.cluster\\.local)?)?)?)(:\\d+)?$';

export function registerHostCheck(app: FastifyInstance, allowed: RegExp): void {
  app.addHook('onRequest', async (request) => {
    const host = request.headers.host ?? '';
    if (!allowed.test(host)) {
      throw new ApiHttpError(
        400,
        'API_BAD_REQUEST',
        `the Host header "${host.slice(0, 100)}" is not allowed; this protects against DNS rebinding. ` +
          'Add it to API_ALLOWED_HOSTS (a regular expression) if this is how you reach meshviz',
        { param: 'Host' },
      );
    }
  });
}
