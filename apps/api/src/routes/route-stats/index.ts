import { parseInstant, RoutesQuery, RoutesResponse } from '@meshviz/mesh-types';
import type { FastifyInstance } from 'fastify';
import type { PrometheusClient } from '../../plugins/prometheus.js';
import { cacheKey, type ResponseCache } from '../../plugins/response-cache.js';
import { parseQuery } from '../query.js';
import { checkWindow } from '../window.js';
import { getRoutes } from './service.js';

export function registerRouteStatsRoutes(app: FastifyInstance, prom: PrometheusClient, cache: ResponseCache): void {
  app.get('/api/v1/routes', async (request) => {
    const q = parseQuery(RoutesQuery, request.query);
    await checkWindow(prom, q.window);
    const at = q.at === undefined ? undefined : new Date(parseInstant(q.at) ?? Date.now());
    return cache.get(cacheKey('/api/v1/routes', q), async () => RoutesResponse.parse(await getRoutes(prom, q, at)));
  });
}
