import { ApiError } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';

const token = 'tap-token-0123456789abcdef';
const app = (clientToken?: string) =>
  buildApp({
    config: {
      prometheusUrl: 'http://127.0.0.1:9',
      prometheusTimeoutMs: 500,
      logLevel: 'silent',
      tap: { clientToken, proxyToken: 'p', targetsFile: undefined, port: 4190 },
    },
  });

describe('tap authorization', () => {
  it('is refused when the operator has not enabled it', async () => {
    const res = await app().inject({ url: '/api/v1/tap?namespace=shop' });
    expect(res.statusCode).toBe(403);
    expect(ApiError.parse(res.json()).error.message).toMatch(/API_TAP_TOKEN/);
  });
  it('needs a token (401) and the right one (403)', async () => {
    const a = app(token);
    const none = await a.inject({ url: '/api/v1/tap?namespace=shop' });
    expect(none.statusCode).toBe(401);
    expect(ApiError.parse(none.json()).error.code).toBe('API_TAP_UNAUTHORIZED');
    const wrong = await a.inject({ url: '/api/v1/top?namespace=shop', headers: { authorization: 'Bearer nope' } });
    expect(wrong.statusCode).toBe(403);
  });
  it('refuses pages of other origins even with the token', async () => {
    const res = await app(token).inject({
      url: '/api/v1/tap?namespace=shop',
      headers: { authorization: `Bearer ${token}`, origin: 'http://evil.example.com' },
    });
    expect(res.statusCode).toBe(403);
    expect(ApiError.parse(res.json()).error.code).toBe('API_CROSS_SITE_FORBIDDEN');
  });
  it('refuses an Origin that is not a URL (sandboxed pages send "null") with 403, not a server error', async () => {
    const res = await app(token).inject({
      url: '/api/v1/tap?namespace=shop',
      headers: { authorization: `Bearer ${token}`, origin: 'null' },
    });
    expect(res.statusCode).toBe(403);
    expect(ApiError.parse(res.json()).error.code).toBe('API_CROSS_SITE_FORBIDDEN');
  });

  it('validates parameters after authorizing', async () => {
    const res = await app(token).inject({
      url: '/api/v1/tap?namespace=shop&max_rps=5000',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(400);
    expect(ApiError.parse(res.json()).error.param).toBe('max_rps');
  });
});
