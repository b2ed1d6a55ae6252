import { TimeseriesQuery, TimeseriesResponse } from '@meshviz/mesh-types';
import type { FastifyInstance } from 'fastify';
import type { PrometheusClient } from '../../plugins/prometheus.js';
import { cacheKey, type ResponseCache } from '../../plugins/response-cache.js';
import { parseQuery } from '../query.js';
import { getTimeseries } from './service.js';

export function registerTimeseriesRoutes(app: FastifyInstance, prom: PrometheusClient, cache: ResponseCache): void {
  app.get('/api/v1/timeseries', async (request) => {
    const q = parseQuery(TimeseriesQuery, request.query);
    return cache.get(cacheKey('/api/v1/timeseries', q), async () =>
      TimeseriesResponse.parse(await getTimeseries(prom, q)),
    );
  });
}
