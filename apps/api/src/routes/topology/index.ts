import { ENDPOINTS } from '@meshviz/api-client';
import type { FastifyInstance } from 'fastify';
import type { AnswerComputer } from '../../answers/answer-thread.js';
import type { DestinationsSource } from '../../destinations/destinations-file.js';
import type { LiveAnswers } from '../../live/live-answers.js';
import { sharedAnswer } from '../../live/shared-answer.js';
import { cacheKey, type ResponseCache } from '../../plugins/response-cache.js';
import type { PrometheusClient } from '../../prometheus/client.js';
import { parseQuery } from '../query.js';
import { routePattern } from '../route-pattern.js';
import { checkWindow } from '../window.js';

const { topology } = ENDPOINTS;

export function registerTopologyRoutes(
  app: FastifyInstance,
  prom: PrometheusClient,
  cache: ResponseCache,
  destinations: DestinationsSource,
  live: LiveAnswers | null,
  answers: AnswerComputer,
): void {
  app.get(routePattern(topology), async (request, reply) => {
    const q = parseQuery(topology.query, request.query);
    const scrape = await checkWindow(prom, q.window);
    // The current topology, of the whole mesh or of one namespace, is a live answer refreshed once per interval.
    // One namespace's is computed apart from the whole mesh's: it is no subset of it (see docs/api-performance.md).
    // Computed off the event loop (answer-jobs.ts) and kept as the JSON text sent: a whole mesh's graph is
    // megabytes, written once per computation, not per call.
    const body = await sharedAnswer(live, cache, cacheKey(topology.path, q), q.at, scrape, async (at) =>
      answers.answer({
        kind: 'topology',
        namespace: q.namespace === 'all' ? null : q.namespace,
        window: q.window,
        scrapeSeconds: scrape.seconds,
        at: at.getTime(),
        configured: await destinations.read(),
      }),
    );
    return reply.type('application/json; charset=utf-8').send(body);
  });
}
