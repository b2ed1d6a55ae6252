import {
  ApiError,
  CheckResponse,
  RoutesQuery,
  RoutesResponse,
  WorkloadDetailQuery,
  WorkloadDetailResponse,
  StatsQuery,
  StatsResponse,
  TimeseriesQuery,
  TimeseriesResponse,
  TopologyQuery,
  TopologyResponse,
} from '@meshviz/mesh-types';
import { z } from 'zod';
import { TOPOLOGY_QUERY_COUNT } from '../../topology/samples.js';
import { CHECK_REQUEST_COUNT } from '../check/service.js';
import { ROUTES_QUERY_COUNT } from '../route-stats/service.js';
import { STATS_QUERY_COUNT } from '../stats/service.js';
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
  { path: '/api/v1/stats', summary: 'Golden metrics per workload, pod or namespace', query: StatsQuery, response: StatsResponse, name: 'StatsResponse', queries: STATS_QUERY_COUNT },
  { path: '/api/v1/topology', summary: 'Workloads, services and unmeshed clients with the traffic between them', query: TopologyQuery, response: TopologyResponse, name: 'TopologyResponse', queries: TOPOLOGY_QUERY_COUNT },
  { path: '/api/v1/timeseries', summary: 'Success rate, RPS and latency quantiles of one workload or pod over time', query: TimeseriesQuery, response: TimeseriesResponse, name: 'TimeseriesResponse', queries: TIMESERIES_QUERY_COUNT },
  { path: '/api/v1/workloads/{namespace}/{name}', summary: 'One workload: its stats, callers, callees, pods and neighbourhood graph', query: WorkloadDetailQuery, response: WorkloadDetailResponse, name: 'WorkloadDetailResponse', queries: DETAIL_QUERY_COUNT },
  { path: '/api/v1/routes', summary: "Per-route stats of a workload (the server's view) or of a service (its callers' view: effective and actual, retries included), unmatched traffic included", query: RoutesQuery, response: RoutesResponse, name: 'RoutesResponse', queries: ROUTES_QUERY_COUNT },
  { path: '/api/v1/check', summary: 'Health of the observability pipeline: Prometheus, scrape targets, proxies', response: CheckResponse, name: 'CheckResponse', queries: CHECK_REQUEST_COUNT },
];

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
    paths: Object.fromEntries(
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
    components: {
      schemas: {
        ApiError: schemaOf(ApiError),
        ...Object.fromEntries(ENDPOINTS.map((e) => [e.name, schemaOf(e.response)])),
      },
    },
  };
}
