import { StatsResponse } from '@meshviz/mesh-types';
import type { FastifyInstance } from 'fastify';
import type { PrometheusClient } from '../../plugins/prometheus.js';
import { parseStatsQuery } from './schema.js';
import { getStats } from './service.js';

export function registerStatsRoutes(app: FastifyInstance, prom: PrometheusClient): void {
  app.get('/api/v1/stats', async (request) => {
    const query = parseStatsQuery(request.query);
    // Validate our own output against the contract, so a drift fails loudly here rather than in a client.
    return StatsResponse.parse(await getStats(prom, query));
  });
}
