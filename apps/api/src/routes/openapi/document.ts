import { ENDPOINTS, type JsonEndpoint, type JsonEndpointName, STREAMS, type StreamEndpoint } from '@meshviz/api-client';
import { ApiError } from '@meshviz/mesh-types';
import { z } from 'zod';
import { topologyQueryCount } from '../../topology/topology-queries.js';
import { AUTHZ_QUERY_COUNT } from '../authz/authz-queries.js';
import { CHECK_REQUEST_COUNT } from '../check/check-queries.js';
import { SERVICE_ROUTES_QUERY_COUNT } from '../route-stats/route-queries.js';
import { SERVICE_DETAIL_QUERY_COUNT } from '../services/service-detail.js';
import { STATS_QUERY_COUNT, STATS_TCP_QUERY_COUNT } from '../stats/stats-queries.js';
import { TIMESERIES_QUERY_COUNT } from '../timeseries/timeseries-queries.js';
import { DETAIL_QUERY_COUNT } from '../workloads/workload-detail.js';

/** Requests to Prometheus per call of each JSON endpoint, at most (fixed, whatever the size of the mesh). */
const PROMETHEUS_QUERIES: Record<JsonEndpointName, number> = {
  stats: STATS_QUERY_COUNT + STATS_TCP_QUERY_COUNT,
  topology: topologyQueryCount('any'),
  timeseries: TIMESERIES_QUERY_COUNT,
  workloadDetail: DETAIL_QUERY_COUNT,
  serviceDetail: SERVICE_DETAIL_QUERY_COUNT,
  routes: SERVICE_ROUTES_QUERY_COUNT,
  authz: AUTHZ_QUERY_COUNT,
  check: CHECK_REQUEST_COUNT,
  // Read from the config directory, not from Prometheus.
  rollouts: 0,
};

/** Endpoints whose calls without `at` are live answers, computed once per refresh interval and shared. */
const LIVE: Partial<Record<JsonEndpointName, string>> = {
  stats: ' With `namespace=all` and no `at`, the answer is the live one the API computes once per refresh interval (API_LIVE_REFRESH_INTERVAL, default the scrape interval) and shares between callers; `asOf` says its instant.',
  topology: ' Without `at`, the answer is the live one the API computes once per refresh interval (API_LIVE_REFRESH_INTERVAL, default the scrape interval) and shares between callers; `asOf` says its instant.',
};

/** Tap and top read no metrics; they need the tap permission (API_TAP_TOKEN), apart from reading metrics. */
function streamPath(e: StreamEndpoint, errorResponse: (description: string) => object) {
  const events = Object.entries(e.events);
  return {
    get: {
      summary: e.summary,
      description: `Server-Sent Events until the client goes away: ${events.map(([event, s]) => `\`${event}\` (${s.name})`).join(', ')}; a comment line every 15 s keeps idle streams open.`,
      security: [{ tapToken: [] }],
      parameters: parameters(e.query, 'query'),
      responses: {
        200: {
          description: 'The event stream; each event\'s `data` is one JSON object of the schema its name maps to (`x-events`)',
          content: {
            'text/event-stream': {
              schema: { oneOf: events.map(([, s]) => ({ $ref: `#/components/schemas/${s.name}` })) },
              'x-events': Object.fromEntries(events.map(([event, s]) => [event, { $ref: `#/components/schemas/${s.name}` }])),
            },
          },
        },
        400: errorResponse('A parameter is invalid; `param` names it (checked after the permission)'),
        401: errorResponse('No tap token was sent (`API_TAP_UNAUTHORIZED`)'),
        403: errorResponse('Wrong tap token or tap disabled (`API_TAP_FORBIDDEN`), or a page of another site (`API_CROSS_SITE_FORBIDDEN`)'),
        404: errorResponse('No meshed proxy to tap in the target (`API_TAP_NO_TARGETS`)'),
        503: errorResponse('Prometheus, which lists the proxies to tap when no targets file is set, is not reachable'),
      },
    },
  };
}

const schemaOf = (t: z.ZodType) => z.toJSONSchema(t, { target: 'openapi-3.0', io: 'output', unrepresentable: 'any' });

function parameters(schema: z.ZodObject | undefined, place: 'path' | 'query') {
  if (!schema) return [];
  const json = z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, unknown>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: place,
    // A path parameter is always required (OpenAPI says so).
    required: place === 'path' || (json.required?.includes(name) ?? false),
    schema: property,
  }));
}

function jsonPath(name: JsonEndpointName, e: JsonEndpoint, errorResponse: (description: string) => object) {
  return {
    get: {
      summary: e.summary,
      description: `Sends at most ${PROMETHEUS_QUERIES[name]} requests to Prometheus per call, whatever the number of workloads.${LIVE[name] ?? ''}`,
      parameters: [...parameters(e.params, 'path'), ...parameters(e.query, 'query')],
      responses: {
        200: { description: 'OK', content: { 'application/json': { schema: { $ref: `#/components/schemas/${e.response.name}` } } } },
        400: errorResponse('A parameter is invalid; `param` names it'),
        403: errorResponse('A page of another site called the API directly (`API_CROSS_SITE_FORBIDDEN`)'),
        502: errorResponse('Prometheus answered with an error'),
        503: errorResponse('Prometheus is not reachable'),
      },
    },
  };
}

/**
 * OpenAPI 3 document built from the endpoint table the API routes and its clients use, and the zod schemas the API
 * validates with, so it cannot drift from the code.
 */
export function openApiDocument(version: string) {
  const jsonEndpoints = Object.entries(ENDPOINTS) as [JsonEndpointName, JsonEndpoint][];
  const streams: StreamEndpoint[] = Object.values(STREAMS);
  const errorResponse = (description: string) => ({
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } },
  });
  return {
    openapi: '3.0.3',
    info: { title: 'meshviz public API', version },
    paths: {
      ...Object.fromEntries(jsonEndpoints.map(([name, e]) => [e.path, jsonPath(name, e, errorResponse)])),
      ...Object.fromEntries(streams.map((e) => [e.path, streamPath(e, errorResponse)])),
    },
    components: {
      schemas: {
        ApiError: schemaOf(ApiError),
        ...Object.fromEntries(jsonEndpoints.map(([, e]) => [e.response.name, schemaOf(e.response.schema)])),
        ...Object.fromEntries(streams.flatMap((e) => Object.values(e.events)).map((s) => [s.name, schemaOf(s.schema)])),
      },
      securitySchemes: { tapToken: { type: 'http', scheme: 'bearer', description: 'The tap token (API_TAP_TOKEN)' } },
    },
  };
}
