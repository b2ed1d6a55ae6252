import { ApiError } from '@meshviz/mesh-types';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../apps/api/src/app.js';
import { send } from '../../../apps/proxy/src/testing/http-fixtures.js';
import { apiTargets, TAP_TOKEN, tapConfig } from '../support/api-targets.js';

/**
 * DNS rebinding (a hostile name resolving to the API, so the browser sends that name as Host) and cross-site pages
 * (Origin, Sec-Fetch-Site) against every route of the API, the tap and top streams included, over a real socket:
 * 400 naming Host for the first, 403 API_CROSS_SITE_FORBIDDEN for the others, before any route runs.
 */
const tap = tapConfig();
let api: FastifyInstance;
let address: string;

beforeAll(async () => {
  api = buildApp({ config: { prometheusUrl: 'http://127.0.0.1:9', prometheusTimeoutMs: 500, logLevel: 'silent', tap: tap.tap } });
  address = (await api.listen({ host: '127.0.0.1', port: 0 })).replace('http://', '');
});
afterAll(async () => {
  await api?.close();
  tap.cleanup();
});

const routes = [
  ...apiTargets().map((t) => ({ name: t.endpoint, path: `${t.path()}?${new URLSearchParams(t.base)}` })),
  { name: 'healthz', path: '/api/v1/healthz' },
  { name: 'openapi', path: '/api/v1/openapi.json' },
];

async function get(path: string, headers: Record<string, string | undefined>) {
  const defined = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== undefined)) as Record<string, string>;
  const reply = await send(address, { path, headers: { authorization: `Bearer ${TAP_TOKEN}`, ...defined } });
  return { status: reply.status, error: reply.status >= 400 ? ApiError.parse(JSON.parse(reply.body.toString())).error : undefined, cors: reply.headers['access-control-allow-origin'] };
}

describe.each(routes)('API route $name against hostile browsers', ({ path }) => {
  it.each(['evil.example.com', 'evil.example.com:80', 'localhost.evil.example.com', '127.0.0.1.nip.io', 'meshviz-api.attacker.com'])(
    'refuses the rebinding Host %s with 400 naming Host',
    async (host) => {
      const res = await get(path, { host });
      expect(res.status).toBe(400);
      expect(res.error?.param).toBe('Host');
    },
  );

  it.each([
    { origin: 'http://evil.example.com' },
    { origin: 'null' },
    { origin: 'http://localhost.evil.example.com' },
    { 'sec-fetch-site': 'cross-site' },
    { 'sec-fetch-site': 'same-site' },
  ])('refuses a page of another site (%o) with 403 and no CORS grant', async (headers) => {
    const res = await get(path, { host: 'localhost', ...headers });
    expect(res.status).toBe(403);
    expect(res.error?.code).toBe('API_CROSS_SITE_FORBIDDEN');
    expect(res.cors).toBeUndefined();
  });

  it('serves its own origin and clients that send no Origin (not refused as cross-site)', async () => {
    for (const headers of [{ host: 'localhost' }, { host: `127.0.0.1:${address.split(':')[1]}`, origin: `http://127.0.0.1:${address.split(':')[1]}`, 'sec-fetch-site': 'same-origin' }]) {
      const res = await get(path, headers);
      expect(res.error?.code ?? '').not.toBe('API_CROSS_SITE_FORBIDDEN');
      expect(res.status).not.toBe(500);
    }
  });
});
