import { TopologyQuery, TopologyResponse } from '@meshviz/mesh-types';
import type { FastifyInstance } from 'fastify';
import type { PrometheusClient } from '../../plugins/prometheus.js';
import { cacheKey, type ResponseCache } from '../../plugins/response-cache.js';
import { getTopology } from '../../topology/service.js';
import { parseQuery } from '../query.js';
import { checkWindow, evaluationTime } from '../window.js';

export function registerTopologyRoutes(app: FastifyInstance, prom: PrometheusClient, cache: ResponseCache): void {
  app.get('/api/v1/topology', async (request) => {
    const q = parseQuery(TopologyQuery, request.query);
    const scrape = await checkWindow(prom, q.window);
    return cache.get(cacheKey('/api/v1/topology', q), async () =>
      TopologyResponse.parse(
        await getTopology(prom, q.namespace === 'all' ? null : q.namespace, q.window, scrape.seconds, evaluationTime(q.at)),
      ),
    );
  });
}
