import { ENDPOINTS } from '@meshviz/api-client';
import type { FastifyInstance } from 'fastify';
import type { DestinationsSource } from '../../destinations/destinations-file.js';
import { cacheKey, type ResponseCache } from '../../plugins/response-cache.js';
import type { PrometheusClient } from '../../prometheus/client.js';
import { getTopology } from '../../topology/topology-queries.js';
import { parseQuery } from '../query.js';
import { routePattern } from '../route-pattern.js';
import { checkWindow, evaluationTime } from '../window.js';

const { topology } = ENDPOINTS;

export function registerTopologyRoutes(
  app: FastifyInstance,
  prom: PrometheusClient,
  cache: ResponseCache,
  destinations: DestinationsSource,
): void {
  app.get(routePattern(topology), async (request) => {
    const q = parseQuery(topology.query, request.query);
    const scrape = await checkWindow(prom, q.window);
    return cache.get(cacheKey(topology.path, q), async () =>
      topology.response.schema.parse(
        await getTopology(prom, q.namespace === 'all' ? null : q.namespace, q.window, scrape.seconds, evaluationTime(q.at), destinations),
      ),
    );
  });
}
