import { CheckResponse } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { recordedApi } from '../../testing/recorded-api.js';

const config = { prometheusTimeoutMs: 2000, logLevel: 'silent' };

describe('GET /api/v1/check', () => {
  const { app } = recordedApi('demo-mesh.json');

  it('reports Prometheus, targets and proxies from the recorded demo mesh', async () => {
    const res = await app().inject({ url: '/api/v1/check' });
    expect(res.statusCode).toBe(200);
    const check = CheckResponse.parse(res.json());
    expect(check.prometheus).toMatchObject({ reachable: true, scrapeIntervalSeconds: 1 });
    expect(check.targets.length).toBe(9);
    expect(check.targets.every((t) => t.health === 'up')).toBe(true);
    expect(check.proxiesReporting).toBe(9);
    const byId = Object.fromEntries(check.checks.map((c) => [c.id, c.status]));
    expect(byId).toMatchObject({ 'prometheus-reachable': 'ok', 'targets-up': 'ok', 'proxies-reporting': 'ok' });
    // The recording is old, so its last scrapes are stale now: the check must say so.
    expect(byId['scrapes-fresh']).toBe('fail');
    expect(check.status).toBe('fail');
  });

  it('answers 200 with a failed report when Prometheus is down', async () => {
    const res = await buildApp({ config: { ...config, prometheusUrl: 'http://127.0.0.1:9' } }).inject({
      url: '/api/v1/check',
    });
    expect(res.statusCode).toBe(200);
    const check = CheckResponse.parse(res.json());
    expect(check.status).toBe('fail');
    expect(check.checks[0]).toMatchObject({ id: 'prometheus-reachable', status: 'fail' });
    expect(check.checks[0]?.hint).toMatch(/API_PROMETHEUS_URL/);
  });
});
