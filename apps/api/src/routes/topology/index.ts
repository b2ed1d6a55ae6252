import { ENDPOINTS } from '@meshviz/api-client';
import type { FastifyInstance } from 'fastify';
import type { DestinationsSource } from '../../destinations/destinations-file.js';
import type { LiveAnswers } from '../../live/live-answers.js';
import { letCallsThrough, sharedAnswer } from '../../live/shared-answer.js';
import { cacheKey, type ResponseCache } from '../../plugins/response-cache.js';
import type { PrometheusClient } from '../../prometheus/client.js';
import { getTopology } from '../../topology/topology-queries.js';
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
): void {
  app.get(routePattern(topology), async (request, reply) => {
    const q = parseQuery(topology.query, request.query);
    const scrape = await checkWindow(prom, q.window);
    // The current topology, of the whole mesh or of one namespace, is a live answer refreshed once per interval.
    // One namespace's is computed apart from the whole mesh's: it is no subset of it (see docs/api-performance.md).
    // Kept as the JSON text sent: a whole mesh's graph is megabytes, written once per computation, not per call.
    const body = await sharedAnswer(live, cache, cacheKey(topology.path, q), q.at, scrape, async (at) => {
      const graph = await getTopology(prom, q.namespace === 'all' ? null : q.namespace, q.window, scrape.seconds, at, destinations);
      await letCallsThrough();
      const checked = topology.response.schema.parse(graph);
      await letCallsThrough();
      return JSON.stringify(checked);
    });
    return reply.type('application/json; charset=utf-8').send(body);
  });
}
