import { describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';

describe('GET /api/v1/openapi.json', () => {
  it('documents every endpoint with its parameters and response schema', async () => {
    const app = buildApp({ config: { prometheusUrl: 'http://127.0.0.1:9', prometheusTimeoutMs: 500, logLevel: 'silent' } });
    const res = await app.inject({ url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.0.3');
    expect(Object.keys(doc.paths)).toEqual([
      '/api/v1/stats',
      '/api/v1/topology',
      '/api/v1/timeseries',
      '/api/v1/workloads/{namespace}/{name}',
      '/api/v1/services/{namespace}/{name}',
      '/api/v1/routes',
      '/api/v1/authz',
      '/api/v1/rollouts',
      '/api/v1/check',
      '/api/v1/tap',
      '/api/v1/top',
    ]);
    const stats = doc.paths['/api/v1/stats'].get;
    expect(stats.parameters.map((p: { name: string }) => p.name)).toEqual([
      'kind',
      'namespace',
      'window',
      'at',
      'to_kind',
      'to_name',
      'to_namespace',
      'from_kind',
      'from_name',
      'from_namespace',
      'tcp',
    ]);
    expect(stats.parameters[0].schema.enum).toContain('deployment');
    expect(stats.parameters[0].schema.enum).toContain('service');
    expect(stats.parameters.find((p: { name: string }) => p.name === 'to_kind').schema.enum).toEqual(['deployment', 'pod', 'service', 'namespace']);
    expect(stats.parameters.find((p: { name: string }) => p.name === 'tcp').schema.enum).toEqual(['true', 'false']);
    expect(stats.description).toContain('at most 6 requests');
    expect(stats.description).toContain('API_LIVE_REFRESH_INTERVAL');
    expect(doc.components.schemas.StatsResponse.properties.asOf.type).toBe('string');
    expect(doc.components.schemas.TopologyResponse.properties.asOf.type).toBe('string');
    expect(doc.components.schemas.StatsResponse.properties.rows.items.properties.tcp.properties.openConnections).toBeDefined();
    expect(doc.components.schemas.StatsResponse.properties.rows.type).toBe('array');
    expect(doc.components.schemas.TopologyResponse.properties.edges.items.properties.mtlsShare).toBeDefined();
    const authz = doc.paths['/api/v1/authz'].get;
    expect(authz.parameters.map((p: { name: string; required: boolean }) => [p.name, p.required])).toEqual([
      ['kind', false],
      ['namespace', true],
      ['name', true],
      ['window', false],
      ['at', false],
    ]);
    expect(authz.parameters[0].schema.enum).toEqual(['deployment', 'statefulset', 'daemonset', 'job', 'cronjob', 'replicaset', 'pod']);
    expect(authz.description).toContain('at most 6 requests');
    expect(authz.responses[200].content['application/json'].schema.$ref).toBe('#/components/schemas/AuthzResponse');
    const authzRow = doc.components.schemas.AuthzResponse.properties.rows.items;
    expect(Object.keys(authzRow.properties)).toEqual(['server', 'route', 'authorization', 'allowedRps', 'deniedRps', 'auditedRps', 'successRate', 'latency']);
    expect(authzRow.properties.authorization.nullable).toBe(true);
    expect(doc.components.schemas.AuthzResponse.properties.denials.items.properties.clientId.type).toBe('string');
    // The topology of one namespace asks the most: its edges and its refusals in two sets each, and its splits.
    expect(doc.paths['/api/v1/topology'].get.description).toContain('at most 13 requests');
    expect(doc.components.schemas.TopologyResponse.properties.edges.items.properties.share.nullable).toBe(true);
    expect(doc.components.schemas.TopologyResponse.properties.edges.items.properties.weight.type).toBe('integer');
    // A service's routes ask the most: the route_* families, its callers' four retry families and request outcomes.
    expect(doc.paths['/api/v1/routes'].get.description).toContain('at most 8 requests');
    const routeRow = doc.components.schemas.RoutesResponse.properties.rows.items.properties;
    expect(routeRow.configured.properties.retry.properties.limit.type).toBe('integer');
    expect(routeRow.timeouts.properties.request.type).toBe('number');
    expect(doc.components.schemas.RoutesResponse.properties.configured.properties.reason.nullable).toBe(true);
    const service = doc.components.schemas.ServiceDetailResponse.properties;
    expect(doc.paths['/api/v1/services/{namespace}/{name}'].get.description).toContain('at most 11 requests');
    expect(Object.keys(service.split.items.properties)).toEqual([
      'route',
      'backend',
      'configuredWeight',
      'configuredShare',
      'measuredShare',
      'rps',
      'successRate',
    ]);
    expect(Object.keys(service.endpoints.items.properties)).toEqual(['backend', 'ready', 'pending', 'proxies', 'trips']);
    expect(service.failureAccrual.properties.kind.enum).toEqual(['none', 'consecutive']);
    expect(doc.components.schemas.TopologyResponse.properties.edges.items.properties.deniedRps.type).toBe('number');
    const detail = doc.paths['/api/v1/workloads/{namespace}/{name}'].get;
    expect(detail.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual(['path:namespace', 'path:name', 'query:window', 'query:at']);
    // Path parameters are checked with the same schema as the route checks them.
    expect(detail.parameters[0]).toMatchObject({ required: true, schema: { type: 'string', pattern: expect.stringContaining('a-z0-9') } });
  });

  it('documents tap and top as event streams behind the tap permission', async () => {
    const app = buildApp({ config: { prometheusUrl: 'http://127.0.0.1:9', prometheusTimeoutMs: 500, logLevel: 'silent' } });
    const doc = (await app.inject({ url: '/api/v1/openapi.json' })).json();
    for (const [path, events] of [
      ['/api/v1/tap', { start: 'TapStreamStart', tap: 'TapEvent', drops: 'TapDrops', 'upstream-error': 'TapUpstreamError' }],
      ['/api/v1/top', { start: 'TapStreamStart', top: 'TopSnapshot', 'upstream-error': 'TapUpstreamError' }],
    ] as const) {
      const op = doc.paths[path].get;
      expect(op.security).toEqual([{ tapToken: [] }]);
      expect(op.parameters.map((p: { name: string }) => p.name)).toEqual([
        'namespace',
        'workload',
        'pod',
        'direction',
        'to_namespace',
        'to_workload',
        'method',
        'path',
        'authority',
        'scheme',
        'max_rps',
      ]);
      expect(Object.keys(op.responses)).toEqual(['200', '400', '401', '403', '404', '503']);
      expect(op.responses[401].content['application/json'].schema.$ref).toBe('#/components/schemas/ApiError');
      const stream = op.responses[200].content['text/event-stream'];
      expect(stream['x-events']).toEqual(Object.fromEntries(Object.entries(events).map(([e, n]) => [e, { $ref: `#/components/schemas/${n}` }])));
      for (const name of Object.values(events)) expect(doc.components.schemas[name].type).toBe('object');
    }
    expect(doc.components.schemas.TapEvent.properties.requestInit).toBeDefined();
    expect(doc.components.schemas.TopSnapshot.properties.rows.type).toBe('array');
    expect(doc.components.securitySchemes.tapToken).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});
