import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../apps/api/src/app.js';
import { h2Connect } from '../../../apps/proxy/src/testing/h2-fixtures.js';
import { send, startUpstream, type Upstream } from '../../../apps/proxy/src/testing/http-fixtures.js';
import { CATALOG, type Mesh, startMesh } from '../../../apps/proxy/src/testing/mesh.js';
import { PREFACE } from '../support/h2-frames.js';
import { trickle } from '../support/trickle.js';

/**
 * Slowloris on every listening port of a proxy (inbound, outbound, admin, tap) and of the API: a client trickling
 * a request head one byte at a time is cut off by the port's head timeout, while other clients are served on the
 * same port meanwhile.
 */
const HEADER_TIMEOUT_MS = 1_000;
const INTERVAL_MS = 100;
/** Head timeout, plus the time a server may take to notice (Node checks pending heads about once a second). */
const CUT_WITHIN_MS = HEADER_TIMEOUT_MS + 2_500;
const head = (host: string) => Buffer.from(`GET /slow HTTP/1.1\r\nHost: ${host}\r\nX-Slow: ${'a'.repeat(200)}`);

let upstream: Upstream;
let mesh: Mesh;
let api: FastifyInstance;
let apiAddress: string;

beforeAll(async () => {
  upstream = await startUpstream();
  const config = { headerTimeoutMs: HEADER_TIMEOUT_MS };
  mesh = await startMesh({ apps: [upstream.addr], client: config, replica: config });
  api = buildApp({ config: { prometheusUrl: 'http://127.0.0.1:9', prometheusTimeoutMs: 500, logLevel: 'silent', headerTimeoutMs: HEADER_TIMEOUT_MS } });
  apiAddress = (await api.listen({ host: '127.0.0.1', port: 0 })).replace('http://', '');
});
afterAll(async () => {
  await mesh?.close();
  await upstream?.close();
  await api?.close();
});

/** Opens an HTTP/2 session and closes it once the server's SETTINGS arrived. */
async function h2Handshake(address: string): Promise<void> {
  const session = h2Connect(address);
  try {
    await new Promise<void>((resolve, reject) => {
      session.once('connect', () => resolve());
      session.once('error', reject);
    });
  } finally {
    session.close();
  }
}

/** Runs the trickler and, while it trickles, `others` requests that must all be served. */
async function underSlowloris(address: string, bytes: Buffer, served: () => Promise<number>, padding: string | null = 'a') {
  const slow = trickle(address, bytes, INTERVAL_MS, CUT_WITHIN_MS + 3_000, padding);
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) {
    statuses.push(await served());
    await new Promise((r) => setTimeout(r, 100));
  }
  return { slow: await slow, statuses };
}

describe('slowloris: a head trickled byte by byte is cut off, others are served meanwhile', () => {
  it.each([
    ['proxy inbound', () => mesh.replicas[0]?.addresses.inbound ?? '', {}],
    ['proxy outbound', () => mesh.client.addresses.outbound, { host: CATALOG }],
  ])('%s', async (_name, address, headers) => {
    const { slow, statuses } = await underSlowloris(address(), head(CATALOG), async () => (await send(address(), { path: '/fast', headers })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(slow.cutAfterMs, `still open after ${slow.bytesSent} bytes`).toBeDefined();
    expect(slow.cutAfterMs).toBeLessThan(CUT_WITHIN_MS);
    expect(slow.cutAfterMs).toBeGreaterThanOrEqual(HEADER_TIMEOUT_MS - 50);
  });

  it('proxy admin', async () => {
    const address = mesh.client.addresses.admin;
    const { slow, statuses } = await underSlowloris(address, head('localhost'), async () => (await send(address, { path: '/metrics' })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(slow.cutAfterMs, `still open after ${slow.bytesSent} bytes`).toBeDefined();
    expect(slow.cutAfterMs).toBeLessThan(CUT_WITHIN_MS);
  });

  it('proxy tap (all but the last byte of the HTTP/2 preface, trickled, then nothing)', async () => {
    const address = mesh.client.addresses.tap;
    // The tap service loads on its first connection: loaded first, so the trickler meets the running service.
    await h2Handshake(address);
    const { slow, statuses } = await underSlowloris(address, PREFACE, async () => {
      // Another client's HTTP/2 session still comes up (SETTINGS exchanged).
      await h2Handshake(address);
      return 200;
    }, null);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(slow.cutAfterMs, `still open after ${slow.bytesSent} bytes`).toBeDefined();
    expect(slow.cutAfterMs).toBeLessThan(CUT_WITHIN_MS);
  });

  it('API', async () => {
    const { slow, statuses } = await underSlowloris(apiAddress, head('localhost'), async () => (await send(apiAddress, { path: '/api/v1/healthz', headers: { host: 'localhost' } })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(slow.cutAfterMs, `still open after ${slow.bytesSent} bytes`).toBeDefined();
    expect(slow.cutAfterMs).toBeLessThan(CUT_WITHIN_MS);
    expect(slow.response).toMatch(/^(HTTP\/1\.1 408|$)/);
  });
});
