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
      '/api/v1/routes',
      '/api/v1/check',
    ]);
    const stats = doc.paths['/api/v1/stats'].get;
    expect(stats.parameters.map((p: { name: string }) => p.name)).toEqual(['kind', 'namespace', 'window', 'at']);
    expect(stats.parameters[0].schema.enum).toContain('deployment');
    expect(doc.components.schemas.StatsResponse.properties.rows.type).toBe('array');
    expect(doc.components.schemas.TopologyResponse.properties.edges.items.properties.mtlsShare).toBeDefined();
  });
});
