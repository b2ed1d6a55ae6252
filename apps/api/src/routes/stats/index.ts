import { ENDPOINTS } from '@meshviz/api-client';
import type { StatsResponse } from '@meshviz/mesh-types';
import type { FastifyInstance } from 'fastify';
import type { AnswerComputer } from '../../answers/answer-thread.js';
import type { LiveAnswers } from '../../live/live-answers.js';
import { sharedAnswer } from '../../live/shared-answer.js';
import { cacheKey, type ResponseCache } from '../../plugins/response-cache.js';
import { type PodStatusSource, withRestarts } from '../../pod-status/pod-status-file.js';
import type { PrometheusClient } from '../../prometheus/client.js';
import { parseQuery } from '../query.js';
import { routePattern } from '../route-pattern.js';
import { checkWindow } from '../window.js';

const { stats } = ENDPOINTS;

export function registerStatsRoutes(
  app: FastifyInstance,
  prom: PrometheusClient,
  cache: ResponseCache,
  podStatus: PodStatusSource,
  live: LiveAnswers | null,
  answers: AnswerComputer,
): void {
  app.get(routePattern(stats), async (request, reply) => {
    const query = parseQuery(stats.query, request.query);
    const scrape = await checkWindow(prom, query.window);
    // The whole mesh's current stats are a live answer, refreshed once per interval; one namespace's are cheap.
    // Computed off the event loop (answer-jobs.ts), as the JSON text sent.
    const json = await sharedAnswer(query.namespace === 'all' ? live : null, cache, cacheKey(stats.path, query), query.at, scrape, (at) =>
      answers.answer({ kind: 'stats', query, at: at.getTime() }),
    );
    // Restarts are read at each call: they are the runtime's count now, not Prometheus' at the query's time.
    const status = await podStatus();
    if (!status) return reply.type('application/json; charset=utf-8').send(json);
    const answer = JSON.parse(json) as StatsResponse;
    return { ...answer, rows: withRestarts(answer.rows, status) };
  });
}
