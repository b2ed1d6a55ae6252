import { ENDPOINTS, endpointPath } from '@meshviz/api-client';
import type { FastifyInstance } from 'fastify';
import type { DestinationsSource } from '../../destinations/destinations-file.js';
import { apiErrors } from '../../errors.js';
import { cacheKey, type ResponseCache } from '../../plugins/response-cache.js';
import type { PrometheusClient } from '../../prometheus/client.js';
import { parseQuery } from '../query.js';
import { routePattern } from '../route-pattern.js';
import { checkWindow, evaluationTime } from '../window.js';
import { getServiceDetail } from './service-detail.js';

const { serviceDetail } = ENDPOINTS;

export function registerServiceRoutes(
  app: FastifyInstance,
  prom: PrometheusClient,
  cache: ResponseCache,
  destinations: DestinationsSource,
): void {
  app.get(routePattern(serviceDetail), async (request) => {
    const params = parseQuery(serviceDetail.params, request.params);
    const q = parseQuery(serviceDetail.query, request.query);
    await checkWindow(prom, q.window);
    const detail = await cache.get(cacheKey(endpointPath(serviceDetail, params), q), () =>
      getServiceDetail(prom, params.namespace, params.name, q.window, evaluationTime(q.at), destinations),
    );
    // No meshed caller addressed it in the window: nothing to show, as for a workload Prometheus does not know.
    if (!detail) throw apiErrors.notFound(`service ${params.namespace}/${params.name}`);
    return serviceDetail.response.schema.parse(detail);
  });
}
