import { ENDPOINTS } from '@meshviz/api-client';
import type { FastifyInstance } from 'fastify';
import { cacheKey, type ResponseCache } from '../../plugins/response-cache.js';
import type { PrometheusClient } from '../../prometheus/client.js';
import { parseQuery } from '../query.js';
import { routePattern } from '../route-pattern.js';
import { getTimeseries } from './timeseries-queries.js';

const { timeseries } = ENDPOINTS;

export function registerTimeseriesRoutes(app: FastifyInstance, prom: PrometheusClient, cache: ResponseCache): void {
  app.get(routePattern(timeseries), async (request) => {
    const q = parseQuery(timeseries.query, request.query);
    return cache.get(cacheKey(timeseries.path, q), async () =>
      timeseries.response.schema.parse(await getTimeseries(prom, q)),
    );
  });
}
