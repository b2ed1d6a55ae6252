import { ENDPOINTS } from '@meshviz/api-client';
import type { FastifyInstance } from 'fastify';
import { cacheKey, type ResponseCache } from '../../plugins/response-cache.js';
import { type PodStatusSource, withRestarts } from '../../pod-status/pod-status-file.js';
import type { PrometheusClient } from '../../prometheus/client.js';
import { parseQuery } from '../query.js';
import { routePattern } from '../route-pattern.js';
import { checkWindow, evaluationTime } from '../window.js';
import { getStats } from './stats-queries.js';

const { stats } = ENDPOINTS;

export function registerStatsRoutes(app: FastifyInstance, prom: PrometheusClient, cache: ResponseCache, podStatus: PodStatusSource): void {
  app.get(routePattern(stats), async (request) => {
    const query = parseQuery(stats.query, request.query);
    await checkWindow(prom, query.window);
    const answer = await cache.get(cacheKey(stats.path, query), async () =>
      // Validate our own output against the contract, so a drift fails loudly here rather than in a client.
      stats.response.schema.parse(await getStats(prom, query, evaluationTime(query.at))),
    );
    // Restarts are read at each call: they are the runtime's count now, not Prometheus' at the query's time.
    return { ...answer, rows: withRestarts(answer.rows, await podStatus()) };
  });
}
