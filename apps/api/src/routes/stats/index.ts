import { StatsQuery, StatsResponse } from '@meshviz/mesh-types';
import type { FastifyInstance } from 'fastify';
import type { PrometheusClient } from '../../plugins/prometheus.js';
import { cacheKey, type ResponseCache } from '../../plugins/response-cache.js';
import { parseQuery } from '../query.js';
import { checkWindow, evaluationTime } from '../window.js';
import { getStats } from './service.js';

export function registerStatsRoutes(app: FastifyInstance, prom: PrometheusClient, cache: ResponseCache): void {
  app.get('/api/v1/stats', async (request) => {
    const query = parseQuery(StatsQuery, request.query);
    await checkWindow(prom, query.window);
    return cache.get(cacheKey('/api/v1/stats', query), async () =>
      // Validate our own output against the contract, so a drift fails loudly here rather than in a client.
      StatsResponse.parse(await getStats(prom, query, evaluationTime(query.at))),
    );
  });
}
