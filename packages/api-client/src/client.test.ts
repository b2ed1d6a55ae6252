import { afterEach, describe, expect, it } from 'vitest';
import { createApiClient } from './client.js';
import { ENDPOINTS, STREAMS } from './endpoints.js';
import { echoWording } from './testing/echo-wording.js';
import { type HttpFixture, startHttpFixture } from './testing/http-fixture.js';

describe('createApiClient', () => {
  let api: HttpFixture | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it('calls each endpoint at its base URL, with its path, parameters and schema', async () => {
    const asked: string[] = [];
    const detail = {
      window: '1m',
      workload: { kind: 'deployment', namespace: 'shop', name: 'web', meshedPods: 1, rps: 1, successRate: 1, latencyMs: { p50: 1, p95: 1, p99: 1 } },
      upstreams: [],
      downstreams: [],
      pods: [],
      graph: { nodes: [], edges: [] },
    };
    api = await startHttpFixture((req, res) => {
      asked.push(req.url ?? '');
      if (req.url?.startsWith('/api/v1/top')) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end('event: start\ndata: {"proxies":["shop/web-0"]}\n\n');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(detail));
    });
    const client = createApiClient({ baseUrl: `${api.url}/`, wording: echoWording(), timeoutMs: 5_000 });
    expect(client.baseUrl).toBe(api.url);
    await expect(client.get(ENDPOINTS.workloadDetail, { params: { namespace: 'shop', name: 'web' }, query: { window: '1m' } })).resolves.toEqual(detail);
    const events: unknown[] = [];
    await client.stream(STREAMS.top, { query: { namespace: 'shop' } }, 't', new AbortController().signal, (e) => events.push(e));
    expect(events).toEqual([{ name: 'start', data: { proxies: ['shop/web-0'] } }]);
    expect(asked).toEqual(['/api/v1/workloads/shop/web?window=1m', '/api/v1/top?namespace=shop']);
  });

  it('asks one resource\'s authorization traffic and checks the answer against AuthzResponse', async () => {
    const asked: string[] = [];
    const server = { kind: 'server', name: 'api-http', port: '8080' };
    const route = { kind: 'HTTPRoute', name: 'items-post' };
    const authz = {
      resource: { kind: 'deployment', namespace: 'shop', name: 'api' },
      window: '5m',
      rows: [
        {
          server,
          route,
          authorization: null,
          allowedRps: 0,
          deniedRps: 0.5,
          auditedRps: 0,
          successRate: null,
          latency: { p50: null, p95: null, p99: null },
        },
      ],
      denials: [{ server, route, clientId: 'batch.jobs.serviceaccount.identity.meshviz.cluster.local', deniedRps: 0.5 }],
    };
    api = await startHttpFixture((req, res) => {
      asked.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'application/json' });
      // The second answer misses a row's deniedRps: the schema refuses it, whatever the transport said.
      res.end(JSON.stringify(asked.length === 1 ? authz : { ...authz, rows: [{ ...authz.rows[0], deniedRps: undefined }] }));
    });
    const wording = echoWording();
    const client = createApiClient({ baseUrl: api.url, wording, timeoutMs: 5_000 });
    const query = { kind: 'deployment', namespace: 'shop', name: 'api', window: '5m' };
    await expect(client.get(ENDPOINTS.authz, { query })).resolves.toEqual(authz);
    await expect(client.get(ENDPOINTS.authz, { query })).rejects.toThrow('failed: invalid-answer');
    expect(wording.seen.at(-1)).toMatchObject({ kind: 'invalid-answer', detail: expect.stringMatching(/deniedRps/) });
    expect(asked[0]).toBe('/api/v1/authz?kind=deployment&namespace=shop&name=api&window=5m');
  });
});
