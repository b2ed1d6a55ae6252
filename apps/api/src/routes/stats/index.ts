import { ENDPOINTS } from '@meshviz/api-client';
import type { FastifyInstance } from 'fastify';
import type { LiveAnswers } from '../../live/live-answers.js';
import { sharedAnswer } from '../../live/shared-answer.js';
import { cacheKey, type ResponseCache } from '../../plugins/response-cache.js';
import { type PodStatusSource, withRestarts } from '../../pod-status/pod-status-file.js';
import type { PrometheusClient } from '../../prometheus/client.js';
import { parseQuery } from '../query.js';
import { routePattern } from '../route-pattern.js';
import { checkWindow } from '../window.js';
import { getStats } from './stats-queries.js';

const { stats } = ENDPOINTS;

export function registerStatsRoutes(
  app: FastifyInstance,
  prom: PrometheusClient,
  cache: ResponseCache,
  podStatus: PodStatusSource,
  live: LiveAnswers | null,
): void {
  app.get(routePattern(stats), async (request) => {
    const query = parseQuery(stats.query, request.query);
    const scrape = await checkWindow(prom, query.window);
    // The whole mesh's current stats are a live answer, refreshed once per interval; one namespace's are cheap.
    const answer = await sharedAnswer(query.namespace === 'all' ? live : null, cache, cacheKey(stats.path, query), query.at, scrape, async (at) =>
      // Validate our own output against the contract, so a drift fails loudly here rather than in a client.
      stats.response.schema.parse(await getStats(prom, query, at)),
    );
    // Restarts are read at each call: they are the runtime's count now, not Prometheus' at the query's time.
    return { ...answer, rows: withRestarts(answer.rows, await podStatus()) };
  });
}
