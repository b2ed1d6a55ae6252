import { ApiError } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';

const config = { prometheusUrl: 'http://127.0.0.1:9', prometheusTimeoutMs: 500, logLevel: 'silent' };

describe('Host allow-list', () => {
  it.each(['localhost:8084', '127.0.0.1:8085', '[::1]:8084', 'meshviz-api.meshviz-viz.svc.cluster.local:8085'])(
    'allows %s',
    async (host) => {
      const res = await buildApp({ config }).inject({ url: '/api/v1/healthz', headers: { host } });
      expect(res.statusCode).toBe(200);
    },
  );

  it.each(['evil.example.com', 'localhost.evil.example.com:8084', '127.0.0.1.nip.io'])(
    'refuses %s with a 400 that explains DNS rebinding',
    async (host) => {
      const res = await buildApp({ config }).inject({ url: '/api/v1/healthz', headers: { host } });
      expect(res.statusCode).toBe(400);
      const body = ApiError.parse(res.json());
      expect(body.error.param).toBe('Host');
      expect(body.error.message).toMatch(/DNS rebinding/);
      expect(body.error.message).toMatch(/API_ALLOWED_HOSTS/);
    },
  );

  it('follows a configured pattern', async () => {
    const app = buildApp({ config: { ...config, allowedHosts: /^meshviz\.example\.com$/ } });
    expect((await app.inject({ url: '/api/v1/healthz', headers: { host: 'meshviz.example.com' } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/healthz', headers: { host: 'localhost' } })).statusCode).toBe(400);
  });

  it('sends no CORS headers', async () => {
    const res = await buildApp({ config }).inject({
      url: '/api/v1/healthz',
      headers: { origin: 'http://evil.example.com' },
    });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});
