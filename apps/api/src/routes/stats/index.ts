import { ENDPOINTS } from '@meshviz/api-client';
import type { FastifyInstance } from 'fastify';
import { cacheKey, type ResponseCache } from '../../plugins/response-cache.js';
import type { PrometheusClient } from '../../prometheus/client.js';
import { parseQuery } from '../query.js';
import { routePattern } from '../route-pattern.js';
import { checkWindow, evaluationTime } from '../window.js';
import { getStats } from './stats-queries.js';

const { stats } = ENDPOINTS;

export function registerStatsRoutes(app: FastifyInstance, prom: PrometheusClient, cache: ResponseCache): void {
  app.get(routePattern(stats), async (request) => {
    const query = parseQuery(stats.query, request.query);
    await checkWindow(prom, query.window);
    return cache.get(cacheKey(stats.path, query), async () =>
      // Validate our own output against the contract, so a drift fails loudly here rather than in a client.
      stats.response.schema.parse(await getStats(prom, query, evaluationTime(query.at))),
    );
  });
}
