import { ENDPOINTS } from '@meshviz/api-client';
import type { FastifyInstance } from 'fastify';
import type { PrometheusClient } from '../../prometheus/client.js';
import { routePattern } from '../route-pattern.js';
import { getCheck } from './check-queries.js';
import type { TrustFiles } from './identity.js';

const { check } = ENDPOINTS;

/** Always 200 with a report: a failing check is an answer, not an API error. Never cached. */
export function registerCheckRoutes(app: FastifyInstance, prom: PrometheusClient, trust?: TrustFiles): void {
  app.get(routePattern(check), async () => check.response.schema.parse(await getCheck(prom, Date.now(), trust)));
}
