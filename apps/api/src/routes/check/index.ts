import { CheckResponse } from '@meshviz/mesh-types';
import type { FastifyInstance } from 'fastify';
import type { PrometheusClient } from '../../plugins/prometheus.js';
import type { TrustFiles } from './identity.js';
import { getCheck } from './service.js';

/** Always 200 with a report: a failing check is an answer, not an API error. Never cached. */
export function registerCheckRoutes(app: FastifyInstance, prom: PrometheusClient, trust?: TrustFiles): void {
  app.get('/api/v1/check', async () => CheckResponse.parse(await getCheck(prom, Date.now(), trust)));
}
