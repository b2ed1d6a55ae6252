import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServer, listen } from '../runtime/lifecycle.js';
import { createAdminServer } from './admin-server.js';
import { CountStore } from './count-store.js';
import { CountsResponse } from './counts-schema.js';

describe('admin server', () => {
  let server: Server;
  let base: string;
  const nowMs = 1_700_000_000_500;

  beforeAll(async () => {
    const store = new CountStore([{ service: 'web.bookshop', method: 'GET', path: '/books' }], () => nowMs);
    store.record(0, 200, 2.5);
    store.record(0, 503, 7.5);
    server = createAdminServer(store);
    base = `http://127.0.0.1:${await listen(server, '127.0.0.1', 0)}`;
  });
  afterAll(() => closeServer(server, 100));

  it('serves /counts in the published shape', async () => {
    const res = await fetch(`${base}/counts?from=1700000000&to=1700000001`);
    expect(res.status).toBe(200);
    const body = CountsResponse.parse(await res.json());
    expect(body).toEqual({
      from: 1_700_000_000,
      to: 1_700_000_001,
      total: 2,
      failures: 1,
      latencyMs: { p50: 2.5, p95: 7.5, p99: 7.5 },
      targets: [
        {
          service: 'web.bookshop',
          method: 'GET',
          path: '/books',
          total: 2,
          failures: 1,
          statuses: { '200': 1, '503': 1 },
          latencyMs: { p50: 2.5, p95: 7.5, p99: 7.5 },
        },
      ],
    });
  });

  it('defaults to everything retained, up to and including the current second', async () => {
    const body = CountsResponse.parse(await (await fetch(`${base}/counts`)).json());
    expect(body.to).toBe(1_700_000_001);
    expect(body.total).toBe(2);
  });

  it.each([
    ['from=yesterday', 'from'],
    ['to=1.5', 'to'],
    ['from=5&to=4', 'from'],
  ])('answers 400 naming the parameter for %s', async (query, param) => {
    const res = await fetch(`${base}/counts?${query}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'LOADGEN_BAD_QUERY', param } });
  });

  it('answers /healthz, 404 elsewhere and 405 for other methods', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/count`)).status).toBe(404);
    expect((await fetch(`${base}/counts`, { method: 'POST' })).status).toBe(405);
  });
});
