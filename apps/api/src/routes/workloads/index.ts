import { ENDPOINTS, endpointPath } from '@meshviz/api-client';
import type { FastifyInstance } from 'fastify';
import { apiErrors } from '../../errors.js';
import { cacheKey, type ResponseCache } from '../../plugins/response-cache.js';
import { type PodStatusSource, withRestarts } from '../../pod-status/pod-status-file.js';
import type { PrometheusClient } from '../../prometheus/client.js';
import { parseQuery } from '../query.js';
import { routePattern } from '../route-pattern.js';
import { checkWindow, evaluationTime } from '../window.js';
import { getWorkloadDetail } from './workload-detail.js';

const { workloadDetail } = ENDPOINTS;

export function registerWorkloadRoutes(app: FastifyInstance, prom: PrometheusClient, cache: ResponseCache, podStatus: PodStatusSource): void {
  app.get(routePattern(workloadDetail), async (request) => {
    const params = parseQuery(workloadDetail.params, request.params);
    const q = parseQuery(workloadDetail.query, request.query);
    const scrape = await checkWindow(prom, q.window);
    const detail = await cache.get(cacheKey(endpointPath(workloadDetail, params), q), () =>
      getWorkloadDetail(prom, params.namespace, params.name, q.window, scrape.seconds, evaluationTime(q.at)),
    );
    if (!detail) throw apiErrors.notFound(`workload ${params.namespace}/${params.name}`);
    const status = await podStatus();
    const [workload] = withRestarts([detail.workload], status);
    return workloadDetail.response.schema.parse({ ...detail, workload, pods: withRestarts(detail.pods, status) });
  });
}
