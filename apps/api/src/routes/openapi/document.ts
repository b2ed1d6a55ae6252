import {
  ApiError,
  CheckResponse,
  RoutesQuery,
  RoutesResponse,
  ServiceDetailQuery,
  ServiceDetailResponse,
  WorkloadDetailQuery,
  WorkloadDetailResponse,
  StatsQuery,
  StatsResponse,
  TapDrops,
  TapEvent,
  TapQuery,
  TapStreamStart,
  TapUpstreamError,
  TopSnapshot,
  TimeseriesQuery,
  TimeseriesResponse,
  TopologyQuery,
  TopologyResponse,
} from '@meshviz/mesh-types';
import { z } from 'zod';
import { topologyQueryCount } from '../../topology/service.js';
import { CHECK_REQUEST_COUNT } from '../check/service.js';
import { ROUTES_QUERY_COUNT } from '../route-stats/service.js';
import { SERVICE_DETAIL_QUERY_COUNT } from '../services/service.js';
import { STATS_QUERY_COUNT, STATS_TCP_QUERY_COUNT } from '../stats/service.js';
import { TIMESERIES_QUERY_COUNT } from '../timeseries/service.js';
import { DETAIL_QUERY_COUNT } from '../workloads/service.js';

interface Endpoint {
  path: string;
  summary: string;
  query?: z.ZodObject;
  response: z.ZodType;
  name: string;
  /** Requests to Prometheus per call, at most (fixed, whatever the size of the mesh). */
  queries: number;
}

const ENDPOINTS: Endpoint[] = [
  { path: '/api/v1/stats', summary: 'Golden metrics per workload, pod, namespace or service, optionally only the traffic to or from one resource, with TCP figures on request', query: StatsQuery, response: StatsResponse, name: 'StatsResponse', queries: STATS_QUERY_COUNT + STATS_TCP_QUERY_COUNT },
  { path: '/api/v1/topology', summary: 'Workloads, services and unmeshed clients with the traffic between them', query: TopologyQuery, response: TopologyResponse, name: 'TopologyResponse', queries: topologyQueryCount('any') },
  { path: '/api/v1/timeseries', summary: 'Success rate, RPS and latency quantiles of one workload or pod over time', query: TimeseriesQuery, response: TimeseriesResponse, name: 'TimeseriesResponse', queries: TIMESERIES_QUERY_COUNT },
  { path: '/api/v1/workloads/{namespace}/{name}', summary: 'One workload: its stats, callers, callees, pods and neighbourhood graph', query: WorkloadDetailQuery, response: WorkloadDetailResponse, name: 'WorkloadDetailResponse', queries: DETAIL_QUERY_COUNT },
  { path: '/api/v1/services/{namespace}/{name}', summary: 'One service as its callers measured it: golden metrics, callers, backends with their share, neighbourhood graph', query: ServiceDetailQuery, response: ServiceDetailResponse, name: 'ServiceDetailResponse', queries: SERVICE_DETAIL_QUERY_COUNT },
  { path: '/api/v1/routes', summary: "Per-route stats of a workload (the server's view) or of a service (its callers' view: effective and actual, retries included), unmatched traffic included", query: RoutesQuery, response: RoutesResponse, name: 'RoutesResponse', queries: ROUTES_QUERY_COUNT },
  { path: '/api/v1/check', summary: 'Health of the observability pipeline: Prometheus, scrape targets, proxies', response: CheckResponse, name: 'CheckResponse', queries: CHECK_REQUEST_COUNT },
];

/** Server-Sent Event streams: each event name with the schema of its JSON `data`. */
interface StreamEndpoint {
  path: string;
  summary: string;
  query: z.ZodObject;
  events: Record<string, { name: string; schema: z.ZodType }>;
}

const start = { name: 'TapStreamStart', schema: TapStreamStart };
const upstreamError = { name: 'TapUpstreamError', schema: TapUpstreamError };
const STREAMS: StreamEndpoint[] = [
  { path: '/api/v1/tap', summary: 'Live requests from the proxies, one event per part of a request', query: TapQuery, events: { start, tap: { name: 'TapEvent', schema: TapEvent }, drops: { name: 'TapDrops', schema: TapDrops }, 'upstream-error': upstreamError } },
  { path: '/api/v1/top', summary: 'The requests of a tap session aggregated by source, destination, method and path, every second', query: TapQuery, events: { start, top: { name: 'TopSnapshot', schema: TopSnapshot }, 'upstream-error': upstreamError } },
];

/** Tap and top read no metrics; they need the tap permission (API_TAP_TOKEN), apart from reading metrics. */
function streamPath(e: StreamEndpoint, errorResponse: (description: string) => object) {
  const events = Object.entries(e.events);
  return {
    get: {
      summary: e.summary,
      description: `Server-Sent Events until the client goes away: ${events.map(([event, s]) => `\`${event}\` (${s.name})`).join(', ')}; a comment line every 15 s keeps idle streams open.`,
      security: [{ tapToken: [] }],
      parameters: parameters(e.query),
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
        403: errorResponse('Wrong tap token, tap disabled, or a page of another origin (`API_TAP_FORBIDDEN`)'),
        404: errorResponse('No meshed proxy to tap in the target (`API_TAP_NO_TARGETS`)'),
        503: errorResponse('Prometheus, which lists the proxies to tap when no targets file is set, is not reachable'),
      },
    },
  };
}

const schemaOf = (t: z.ZodType) => z.toJSONSchema(t, { target: 'openapi-3.0', io: 'output', unrepresentable: 'any' });

function parameters(query: z.ZodObject | undefined) {
  if (!query) return [];
  const json = z.toJSONSchema(query, { target: 'openapi-3.0', io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, unknown>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema,
  }));
}

/** OpenAPI 3 document built from the same zod schemas the API validates with, so it cannot drift from the code. */
export function openApiDocument(version: string) {
  const errorResponse = (description: string) => ({
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiError' } } },
  });
  return {
    openapi: '3.0.3',
    info: { title: 'meshviz public API', version },
    paths: {
      ...Object.fromEntries(
      ENDPOINTS.map((e) => [
        e.path,
        {
          get: {
            summary: e.summary,
            description: `Sends at most ${e.queries} requests to Prometheus per call, whatever the number of workloads.`,
            parameters: [
              ...(e.path.includes('{namespace}')
                ? ['namespace', 'name'].map((n) => ({ name: n, in: 'path', required: true, schema: { type: 'string' } }))
                : []),
              ...parameters(e.query),
            ],
            responses: {
              200: { description: 'OK', content: { 'application/json': { schema: { $ref: `#/components/schemas/${e.name}` } } } },
              400: errorResponse('A parameter is invalid; `param` names it'),
              502: errorResponse('Prometheus answered with an error'),
              503: errorResponse('Prometheus is not reachable'),
            },
          },
        },
      ]),
      ),
      ...Object.fromEntries(STREAMS.map((e) => [e.path, streamPath(e, errorResponse)])),
    },
    components: {
      schemas: {
        ApiError: schemaOf(ApiError),
        ...Object.fromEntries(ENDPOINTS.map((e) => [e.name, schemaOf(e.response)])),
        ...Object.fromEntries(STREAMS.flatMap((e) => Object.values(e.events)).map((s) => [s.name, schemaOf(s.schema)])),
      },
      securitySchemes: { tapToken: { type: 'http', scheme: 'bearer', description: 'The tap token (API_TAP_TOKEN)' } },
    },
  };
}
