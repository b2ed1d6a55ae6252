import type { EndpointShape } from '@meshviz/api-client';

/** Fastify's pattern for an endpoint of the table: its `{name}` path segments become `:name`. */
export function routePattern(endpoint: EndpointShape): string {
  return endpoint.path.replace(/\{([^}]+)\}/g, ':$1');
}
