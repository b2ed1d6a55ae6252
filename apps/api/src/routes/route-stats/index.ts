import { ENDPOINTS } from '@meshviz/api-client';
import type { RouteScope } from '@meshviz/promql';
import type { FastifyInstance } from 'fastify';
import type { DestinationsSource } from '../../destinations/destinations-file.js';
import { apiErrors } from '../../errors.js';
import { cacheKey, type ResponseCache } from '../../plugins/response-cache.js';
import type { PrometheusClient } from '../../prometheus/client.js';
import { parseQuery } from '../query.js';
import { routePattern } from '../route-pattern.js';
import { checkWindow, evaluationTime } from '../window.js';
import { getRoutes } from './route-queries.js';

const { routes } = ENDPOINTS;

export function registerRouteStatsRoutes(
  app: FastifyInstance,
  prom: PrometheusClient,
  cache: ResponseCache,
  destinations: DestinationsSource,
): void {
  app.get(routePattern(routes), async (request) => {
    const q = parseQuery(routes.query, request.query);
    if (q.workload !== undefined && q.service !== undefined) {
      throw apiErrors.badParam('service', 'give either workload or service, not both');
    }
    if (q.workload === undefined && q.service === undefined) {
      throw apiErrors.badParam('workload', 'required (or service, for the routes of a service as its callers saw them)');
    }
    await checkWindow(prom, q.window);
    const base = { namespace: q.namespace, window: q.window };
    const scope: RouteScope =
      q.service !== undefined ? { ...base, service: q.service } : { ...base, workload: q.workload ?? '' };
    return cache.get(cacheKey(routes.path, q), async () =>
      routes.response.schema.parse(await getRoutes(prom, scope, evaluationTime(q.at), destinations)),
    );
  });
}
