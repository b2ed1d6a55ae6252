import { WorkloadDetailParams, WorkloadDetailQuery, WorkloadDetailResponse } from '@meshviz/mesh-types';
import type { FastifyInstance } from 'fastify';
import { apiErrors } from '../../errors.js';
import type { PrometheusClient } from '../../plugins/prometheus.js';
import { cacheKey, type ResponseCache } from '../../plugins/response-cache.js';
import { parseQuery } from '../query.js';
import { checkWindow, evaluationTime } from '../window.js';
import { getWorkloadDetail } from './service.js';

export function registerWorkloadRoutes(app: FastifyInstance, prom: PrometheusClient, cache: ResponseCache): void {
  app.get('/api/v1/workloads/:namespace/:name', async (request) => {
    const params = parseQuery(WorkloadDetailParams, request.params);
    const q = parseQuery(WorkloadDetailQuery, request.query);
    const scrape = await checkWindow(prom, q.window);
    const detail = await cache.get(cacheKey(`/api/v1/workloads/${params.namespace}/${params.name}`, q), () =>
      getWorkloadDetail(prom, params.namespace, params.name, q.window, scrape.seconds, evaluationTime(q.at)),
    );
    if (!detail) throw apiErrors.notFound(`workload ${params.namespace}/${params.name}`);
    return WorkloadDetailResponse.parse(detail);
  });
}
