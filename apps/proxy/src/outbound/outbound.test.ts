import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type DestinationsFile, METRIC, PROXY_ERROR_HEADER } from '@meshviz/mesh-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyHandle } from '../proxy.js';
import { eventually, getText, send, startUpstream, type Upstream } from '../testing/http-fixtures.js';
import { parseSamples, select, total } from '../testing/prom-text.js';
import { startTestProxy } from '../testing/test-config.js';

const CATALOG = 'catalog.bookshop.svc.cluster.local';
const run = promisify(execFile);

/** Two catalog replicas, each app behind its own inbound proxy; a client proxy whose outbound side calls them. */
describe('outbound: discovery, balancing and forwarding to inbound proxies', () => {
  let dir: string;
  let file: string;
  const apps: Upstream[] = [];
  const replicas: ProxyHandle[] = [];
  let client: ProxyHandle;
  let direct: Upstream;

  const destinations = (endpoints: { addr: string; pod: string }[]): DestinationsFile => ({
    services: {
      [CATALOG]: {
        namespace: 'bookshop',
        service: 'catalog',
        endpoints: endpoints.map((e) => ({ ...e, namespace: 'bookshop', deployment: 'catalog' })),
      },
      'empty.bookshop.svc.cluster.local': { namespace: 'bookshop', service: 'empty', endpoints: [] },
    },
  });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'meshviz-outbound-'));
    file = join(dir, 'destinations.json');
    for (const pod of ['catalog-0', 'catalog-1']) {
      const app = await startUpstream((req, res) => {
        res.setHeader('x-pod', pod);
        req.pipe(res);
      });
      apps.push(app);
      replicas.push(await startTestProxy(app.addr));
    }
    direct = await startUpstream((_req, res) => res.end('unmeshed'));
    await writeFile(
      file,
      JSON.stringify(destinations(replicas.map((r, i) => ({ addr: r.addresses.inbound, pod: `catalog-${i}` })))),
    );
    client = await startTestProxy('127.0.0.1:1', { destinationsFile: file });
  });

  afterAll(async () => {
    await client.shutdown();
    await Promise.all(replicas.map((r) => r.shutdown()));
    await Promise.all([...apps, direct].map((a) => a.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it('balances a service across its endpoints and labels outbound metrics with discovery metadata', async () => {
    const pods = new Map<string, number>();
    const inFlight = Array.from({ length: 20 }, (_, i) =>
      send(client.addresses.outbound, { method: 'POST', headers: { host: `${CATALOG}:8080` }, body: `req-${i}` }),
    );
    for (const reply of await Promise.all(inFlight)) {
      expect(reply.status).toBe(200);
      const pod = String(reply.headers['x-pod']);
      pods.set(pod, (pods.get(pod) ?? 0) + 1);
    }
    expect([...pods.keys()].sort()).toEqual(['catalog-0', 'catalog-1']);

    const samples = parseSamples((await getText(client.addresses.admin, '/metrics')).text);
    for (const [i, replica] of replicas.entries()) {
      const where = {
        direction: 'outbound',
        authority: `${CATALOG}:8080`,
        target_addr: replica.addresses.inbound,
        dst_namespace: 'bookshop',
        dst_service: 'catalog',
        dst_deployment: 'catalog',
        dst_pod: `catalog-${i}`,
      };
      expect(total(samples, METRIC.requestTotal, where)).toBe(pods.get(`catalog-${i}`));
      expect(total(samples, METRIC.responseTotal, { ...where, status_code: '200', classification: 'success' })).toBe(
        pods.get(`catalog-${i}`),
      );
    }
    // The receiving side counts the same requests as inbound, under the authority the caller used.
    const inbound = parseSamples((await getText(replicas[0]!.addresses.admin, '/metrics')).text);
    expect(total(inbound, METRIC.requestTotal, { direction: 'inbound', authority: `${CATALOG}:8080` })).toBe(
      pods.get('catalog-0'),
    );
  });

  it('carries a chunked upload from curl through outbound and inbound', async () => {
    const payload = join(dir, 'payload.bin');
    await writeFile(payload, Buffer.alloc(3 * 1024 * 1024, 'm'));
    const received = join(dir, 'received.bin');
    const { stdout } = await run('curl', [
      '-sS',
      '--fail',
      '-H',
      `Host: ${CATALOG}`,
      '-H',
      'Transfer-Encoding: chunked',
      '--data-binary',
      `@${payload}`,
      '-o',
      received,
      '-w',
      '%{http_code} %{size_download}',
      `http://${client.addresses.outbound}/upload`,
    ]);
    expect(stdout).toBe(`200 ${3 * 1024 * 1024}`);
    expect((await readFile(received)).equals(await readFile(payload))).toBe(true);
  });

  it('reuses pooled connections to an endpoint', async () => {
    const endpoint = await startUpstream((_req, res) => res.end('pooled'));
    const pooledFile = join(dir, 'pooled.json');
    await writeFile(pooledFile, JSON.stringify(destinations([{ addr: endpoint.addr, pod: 'p' }])));
    const proxy = await startTestProxy('127.0.0.1:1', { destinationsFile: pooledFile });
    try {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      for (let i = 0; i < 10; i++) {
        expect((await send(proxy.addresses.outbound, { headers: { host: CATALOG }, agent })).body.toString()).toBe('pooled');
      }
      agent.destroy();
      expect(endpoint.connections.size).toBe(1);
    } finally {
      await proxy.shutdown();
      await endpoint.close();
    }
  });

  it('sends hosts not in the table straight to host:port, without dst labels', async () => {
    const reply = await send(client.addresses.outbound, { headers: { host: direct.addr } });
    expect(reply.body.toString()).toBe('unmeshed');
    const samples = parseSamples((await getText(client.addresses.admin, '/metrics')).text);
    const [series] = select(samples, METRIC.requestTotal, { authority: direct.addr });
    expect(series?.labels).toEqual({
      direction: 'outbound',
      authority: direct.addr,
      tls: 'no_identity',
      no_tls_reason: 'disabled',
      target_addr: direct.addr,
    });
  });

  it('answers 503 no_endpoints for a known service without endpoints, and 400 for a malformed Host', async () => {
    const reply = await send(client.addresses.outbound, { headers: { host: 'empty.bookshop.svc.cluster.local' } });
    expect(reply.status).toBe(503);
    expect(reply.headers[PROXY_ERROR_HEADER]).toBe('no_endpoints');
    const samples = parseSamples((await getText(client.addresses.admin, '/metrics')).text);
    const [series] = select(samples, METRIC.responseTotal, { error: 'no_endpoints' });
    expect(series?.labels).toMatchObject({ dst_service: 'empty', dst_namespace: 'bookshop', status_code: '503' });
    expect(series?.labels.target_addr).toBeUndefined();

    const bad = await send(client.addresses.outbound, { headers: { host: 'bad host' } });
    expect(bad.status).toBe(400);
    expect(bad.headers[PROXY_ERROR_HEADER]).toBe('invalid_authority');
  });

  it('follows changes to the destinations file', async () => {
    await writeFile(file, JSON.stringify(destinations([{ addr: replicas[1]!.addresses.inbound, pod: 'catalog-1' }])));
    await eventually(async () => {
      const replies = await Promise.all([0, 1, 2, 3].map(() => send(client.addresses.outbound, { headers: { host: CATALOG } })));
      expect(replies.map((r) => r.headers['x-pod'])).toEqual(['catalog-1', 'catalog-1', 'catalog-1', 'catalog-1']);
    });
  });
});
