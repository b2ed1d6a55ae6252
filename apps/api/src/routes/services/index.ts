import { ServiceDetailParams, ServiceDetailQuery, ServiceDetailResponse } from '@meshviz/mesh-types';
import type { FastifyInstance } from 'fastify';
import { apiErrors } from '../../errors.js';
import type { PrometheusClient } from '../../plugins/prometheus.js';
import { cacheKey, type ResponseCache } from '../../plugins/response-cache.js';
import { parseQuery } from '../query.js';
import { checkWindow, evaluationTime } from '../window.js';
import { getServiceDetail } from './service.js';

export function registerServiceRoutes(app: FastifyInstance, prom: PrometheusClient, cache: ResponseCache): void {
  app.get('/api/v1/services/:namespace/:name', async (request) => {
    const params = parseQuery(ServiceDetailParams, request.params);
    const q = parseQuery(ServiceDetailQuery, request.query);
    await checkWindow(prom, q.window);
    const detail = await cache.get(cacheKey(`/api/v1/services/${params.namespace}/${params.name}`, q), () =>
      getServiceDetail(prom, params.namespace, params.name, q.window, evaluationTime(q.at)),
    );
    // No meshed caller addressed it in the window: nothing to show, as for a workload Prometheus does not know.
    if (!detail) throw apiErrors.notFound(`service ${params.namespace}/${params.name}`);
    return ServiceDetailResponse.parse(detail);
  });
}
