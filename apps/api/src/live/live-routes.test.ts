import { StatsResponse, TopologyResponse } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { STATS_QUERY_COUNT } from '../routes/stats/stats-queries.js';
import { deriveAnswer } from '../testing/derived-answer.js';
import { POLICY_MESH_AT } from '../testing/policy-mesh.js';
import { fallbacks, predatingOutbound } from '../testing/predating-families.js';
import { recordedApi } from '../testing/recorded-api.js';
import { recordedPrometheus } from '../testing/recorded-prometheus.js';
import { topologyQueryCount } from '../topology/topology-queries.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FIXTURE = new URL('../testing/fixtures/demo-mesh.json', import.meta.url);
const fallback = fallbacks(deriveAnswer, predatingOutbound);
const TOPOLOGY_ALL = '/api/v1/topology?namespace=all&window=1m';
const TOPOLOGY_NS = '/api/v1/topology?namespace=bookshop&window=1m';
const STATS_ALL = '/api/v1/stats?kind=deployment&namespace=all&window=1m';

describe('live answers of the stats and the topology (calls without `at`), over recorded Prometheus answers', () => {
  const { prom, app } = recordedApi('demo-mesh.json', { fallback });

  it('many callers at once: one computation of each endpoint, the same answer for all, saying its instant', async () => {
    const api = app({ liveRefreshSeconds: 60 });
    const before = prom().promql().length;
    const t0 = Date.now();
    const urls = [TOPOLOGY_ALL, TOPOLOGY_NS, STATS_ALL];
    const calls = await Promise.all(Array.from({ length: 60 }, (_, i) => api.inject({ url: urls[i % 3] ?? '' })));
    const t1 = Date.now();
    expect(calls.map((r) => r.statusCode)).toEqual(Array(60).fill(200));
    // One namespace's topology is its own key, computed apart from the whole mesh's.
    expect(prom().promql().length - before).toBe(topologyQueryCount(null) + topologyQueryCount('bookshop') + STATS_QUERY_COUNT);
    for (const [i, url] of urls.entries()) {
      const bodies = new Set(calls.filter((_, j) => j % 3 === i).map((r) => r.body));
      expect(bodies.size, url).toBe(1);
      const asOf = Date.parse((JSON.parse([...bodies][0] ?? '{}') as { asOf: string }).asOf);
      expect(asOf).toBeGreaterThanOrEqual(t0);
      expect(asOf).toBeLessThanOrEqual(t1);
    }
    // Later calls within the interval are served without a query.
    const again = prom().promql().length;
    expect((await api.inject({ url: TOPOLOGY_ALL })).statusCode).toBe(200);
    expect(prom().promql().length).toBe(again);
    await api.close();
  });

  it('a live answer equals the one computed for its own instant (`at` = its asOf)', async () => {
    const api = app({ liveRefreshSeconds: 60 });
    for (const [url, schema] of [
      [TOPOLOGY_ALL, TopologyResponse],
      [TOPOLOGY_NS, TopologyResponse],
      [STATS_ALL, StatsResponse],
    ] as const) {
      const live = schema.parse((await api.inject({ url })).json());
      expect(live.asOf).toBeDefined();
      const direct = await api.inject({ url: `${url}&at=${live.asOf}` });
      expect(direct.statusCode, direct.body).toBe(200);
      expect(direct.json()).toEqual(live);
    }
    await api.close();
  });

  it('calls with `at` are computed for that instant, as before', async () => {
    const api = app({ liveRefreshSeconds: 60 });
    const before = prom().promql().length;
    const res = await api.inject({ url: `${TOPOLOGY_ALL}&at=1795335535` });
    expect(res.statusCode).toBe(200);
    expect(TopologyResponse.parse(res.json()).asOf).toBe(new Date(1795335535_000).toISOString());
    expect(prom().promql().length - before).toBe(topologyQueryCount(null));
    await api.close();
  });

  it('one namespace’s stats are not kept live (they are cheap): each call computes, through the response cache', async () => {
    const api = app({ liveRefreshMs: 20, liveIdleMs: 60_000 });
    const before = prom().promql().length;
    expect((await api.inject({ url: '/api/v1/stats?kind=deployment&namespace=bookshop&window=1m' })).statusCode).toBe(200);
    await sleep(150);
    expect(prom().promql().length - before).toBe(STATS_QUERY_COUNT);
    await api.close();
  });

  it('refreshed in the background while asked for, then not at all: an idle API costs the store nothing', async () => {
    const api = app({ liveRefreshMs: 40, liveIdleMs: 200 });
    // The answer worker started first: its start would take longer than the 200 ms this key may stay idle.
    expect((await api.inject({ url: `${STATS_ALL}&at=${Math.floor(Date.now() / 1000)}` })).statusCode).toBe(200);
    const before = prom().promql().length;
    expect((await api.inject({ url: STATS_ALL })).statusCode).toBe(200);
    await sleep(200 + 4 * 40 + 100);
    const refreshed = (prom().promql().length - before) / STATS_QUERY_COUNT;
    expect(refreshed).toBeGreaterThanOrEqual(2);
    const stopped = prom().promql().length;
    await sleep(300);
    expect(prom().promql().length).toBe(stopped);
    await api.close();
  });

  it('API_LIVE_REFRESH_INTERVAL=off: every call without `at` computes its own (through the response cache)', async () => {
    const api = app({ liveRefreshSeconds: 'off' });
    const res = await api.inject({ url: STATS_ALL });
    expect(res.statusCode).toBe(200);
    expect(Date.now() - Date.parse(StatsResponse.parse(res.json()).asOf ?? '')).toBeLessThan(5000);
    await api.close();
  });
});

describe('live answers when the store goes away', () => {
  it('a failed refresh answers the store’s error (503), never the older numbers', async () => {
    const prom = await recordedPrometheus(FIXTURE, { fallback });
    const api = buildApp({
      config: { prometheusUrl: prom.url, prometheusTimeoutMs: 2000, logLevel: 'silent', scrapeIntervalSeconds: 5, liveRefreshMs: 50 },
    });
    try {
      const first = await api.inject({ url: TOPOLOGY_ALL });
      expect(first.statusCode).toBe(200);
      await prom.close();
      // The refresh after the interval fails; from then on callers get what they would get without live answers.
      await sleep(50 + 300);
      const after = await api.inject({ url: TOPOLOGY_ALL });
      expect(after.statusCode, after.body).toBe(503);
      expect(after.json()).toMatchObject({ error: { code: 'API_PROMETHEUS_UNAVAILABLE' } });
    } finally {
      await api.close();
      await prom.close().catch(() => {});
    }
  });
});

describe('why one namespace’s live topology is a key of its own (testing/policy-mesh.ts)', () => {
  const { app } = recordedApi('policy-mesh.json');
  it('is no cut of the whole mesh’s graph: a service elsewhere shows only the namespace’s callers, with their health', async () => {
    const api = app({ liveRefreshSeconds: 'off' });
    const get = async (namespace: string) =>
      TopologyResponse.parse((await api.inject({ url: `/api/v1/topology?namespace=${namespace}&window=1m&at=${POLICY_MESH_AT}` })).json());
    const [all, jobs] = [await get('all'), await get('jobs')];
    const node = (g: TopologyResponse) => g.nodes.find((n) => n.id === 'service/shop/api');
    // jobs' batch is one of shop/api's callers: in jobs' view the service carries batch's requests alone.
    expect(node(jobs)).toMatchObject({ rps: 1.5, health: 'healthy' });
    expect(node(all)?.rps).toBeGreaterThan(1.5);
    expect(node(all)?.health).not.toBe('healthy');
    // The server's identity is read for the namespace's own workloads only.
    const edge = (g: TopologyResponse) => g.edges.find((e) => e.id === 'deployment/jobs/batch->service/shop/api');
    expect(edge(jobs)?.serverId).toBeUndefined();
    expect(edge(all)?.serverId).toBe('api.shop.serviceaccount.identity.meshviz.cluster.local');
    await api.close();
  });
});
