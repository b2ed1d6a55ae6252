import { ENDPOINTS } from '@meshviz/api-client';
import type { FastifyInstance } from 'fastify';
import { apiErrors } from '../../errors.js';
import { cacheKey, type ResponseCache } from '../../plugins/response-cache.js';
import type { PrometheusClient } from '../../prometheus/client.js';
import { parseQuery } from '../query.js';
import { routePattern } from '../route-pattern.js';
import { checkWindow, evaluationTime } from '../window.js';
import { getAuthz } from './authz-queries.js';

const { authz } = ENDPOINTS;

/** Parameters without a default: a missing one is named with what it is for, before the values are checked. */
const REQUIRED = {
  namespace: 'the namespace of the resource, e.g. namespace=shop',
  name: 'the name of the resource, e.g. name=api',
} as const;

export function registerAuthzRoutes(app: FastifyInstance, prom: PrometheusClient, cache: ResponseCache): void {
  app.get(routePattern(authz), async (request) => {
    const given = (request.query ?? {}) as Record<string, unknown>;
    for (const [param, what] of Object.entries(REQUIRED)) {
      if (given[param] === undefined) throw apiErrors.badParam(param, `required: ${what}`);
    }
    const q = parseQuery(authz.query, request.query);
    await checkWindow(prom, q.window);
    const scope = { kind: q.kind, namespace: q.namespace, name: q.name, window: q.window };
    return cache.get(cacheKey(authz.path, q), async () =>
      authz.response.schema.parse(await getAuthz(prom, scope, evaluationTime(q.at))),
    );
  });
}
