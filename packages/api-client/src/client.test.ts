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
});
