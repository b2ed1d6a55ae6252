import { ApiError, TopologyResponse, WorkloadDetailResponse } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { deriveAnswer } from '../../testing/derived-answer.js';
import { POLICY_MESH_AT } from '../../testing/policy-mesh.js';
import { fallbacks, predatingOutbound } from '../../testing/predating-families.js';
import { recordedApi } from '../../testing/recorded-api.js';
import { DETAIL_QUERY_COUNT } from './workload-detail.js';

const AT = 1795335535;

describe('GET /api/v1/workloads/:namespace/:name against recorded Prometheus answers (the demo mesh)', () => {
  // Each matcher set of the edges is its own query; deriveAnswer answers these from the broader recorded ones (and
  // the topology's split queries read families the recording predates).
  const { prom, app } = recordedApi('demo-mesh.json', { fallback: fallbacks(deriveAnswer, predatingOutbound) });
  const get = (url: string) => app().inject({ url });

  it('reads only the neighbourhood, and gives it the numbers of the whole-mesh topology', async () => {
    const before = prom().promql().length;
    const res = await get(`/api/v1/workloads/bookshop/web?window=1m&at=${AT}`);
    expect(res.statusCode).toBe(200);
    expect(prom().promql().length - before).toBe(DETAIL_QUERY_COUNT);
    // None of them reads the whole mesh: each names namespaces, or the services of one.
    for (const q of prom().promql().slice(before)) expect(q).toMatch(/namespace=|dst=~"\[\^\.\]\+\\\\\.bookshop/);
    const detail = WorkloadDetailResponse.parse(res.json());
    expect(detail.upstreams.map((u) => u.id)).toEqual(['deployment/traffic/loadgen']);
    expect(detail.downstreams.map((d) => d.id).sort()).toEqual([
      'service/billing/payments',
      'service/bookshop/catalog',
      'service/bookshop/reviews',
    ]);
    expect(detail.pods.map((p) => p.name)).toEqual(['web-0', 'web-1']);
    expect(detail.workload.meshedPods).toBe(2);

    const topology = TopologyResponse.parse(
      (await get(`/api/v1/topology?namespace=all&window=1m&at=${AT}`)).json(),
    );
    const nodes = new Map(topology.nodes.map((n) => [n.id, n]));
    const edges = new Map(topology.edges.map((e) => [e.id, e]));
    expect(detail.graph.edges.length).toBeGreaterThan(5);
    // The same floats, but for sums taken in another order (a last-digit difference at most).
    const same = (a: number | null, b: number | null | undefined) =>
      a === null ? expect(b).toBeNull() : expect(b).toBeCloseTo(a, 12);
    for (const e of detail.graph.edges) {
      const whole = edges.get(e.id);
      expect(whole, e.id).toBeDefined();
      same(e.rps, whole?.rps);
      same(e.successRate, whole?.successRate);
      for (const q of ['p50', 'p95', 'p99'] as const) same(e.latencyMs[q], whole?.latencyMs[q]);
      expect(e.health).toBe(whole?.health);
    }
    for (const n of detail.graph.nodes) {
      const whole = nodes.get(n.id);
      expect(whole, n.id).toBeDefined();
      same(n.rps, whole?.rps);
      for (const q of ['p50', 'p95', 'p99'] as const) same(n.latencyMs[q], whole?.latencyMs[q]);
      expect([n.health, n.meshed, n.dead]).toEqual([whole?.health, whole?.meshed, whole?.dead]);
    }
  });

  it('shows a server workload with the services in front of it and the workloads behind what it calls', async () => {
    const res = await get(`/api/v1/workloads/billing/payments?window=1m&at=${AT}`);
    expect(res.statusCode).toBe(200);
    const detail = WorkloadDetailResponse.parse(res.json());
    expect(detail.upstreams.map((u) => u.id)).toEqual(['deployment/bookshop/web']);
    expect(detail.downstreams.map((d) => d.id)).toEqual(['service/billing/ledger']);
    expect(detail.graph.edges.map((e) => e.id)).toContain('service/billing/ledger->deployment/billing/ledger');
    expect(detail.graph.nodes.find((n) => n.id === 'deployment/billing/ledger')?.rps).toBeGreaterThan(0);
  });

  it('answers 404 for a workload Prometheus knows nothing of', async () => {
    const res = await get(`/api/v1/workloads/bookshop/nope?window=1m&at=${AT}`);
    expect(res.statusCode).toBe(404);
    expect(ApiError.parse(res.json()).error.message).toMatch(/bookshop\/nope/);
  });

  it.each([
    ['/api/v1/workloads/Bad_NS/web', 'namespace'],
    ['/api/v1/workloads/bookshop/web?window=2', 'window'],
    ['/api/v1/workloads/bookshop/web?at=soon', 'at'],
  ])('rejects %s with a 400 naming %s', async (url, param) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect(ApiError.parse(res.json()).error.param).toBe(param);
  });
});

describe('GET /api/v1/workloads/:namespace/:name against constructed answers of a mesh under policy', () => {
  const { prom, app } = recordedApi('policy-mesh.json');
  const get = async (workload: string) => {
    const before = prom().promql().length;
    const res = await app().inject({ url: `/api/v1/workloads/${workload}?window=1m&at=${POLICY_MESH_AT}` });
    expect(res.statusCode).toBe(200);
    return { detail: WorkloadDetailResponse.parse(res.json()), sent: prom().promql().slice(before) };
  };
  const refused = (d: WorkloadDetailResponse) =>
    Object.fromEntries(d.graph.edges.filter((e) => e.deniedRps !== undefined).map((e) => [e.id, e.deniedRps]));

  it("a client's neighbourhood shows what the workloads behind the services it calls refused from it", async () => {
    const { detail, sent } = await get('jobs/batch');
    // Nothing calls batch: no services in front, so neither their rates nor their buckets are asked.
    expect(sent).toHaveLength(DETAIL_QUERY_COUNT - 2);
    // Only the servers of the neighbourhood's edges: api, behind the one service batch calls, and batch itself.
    expect(sent.filter((q) => q.includes('authz_deny_total'))).toEqual([
      'sum by (namespace, deployment, client_id) (rate({__name__=~"inbound_http_authz_deny_total|inbound_tcp_authz_deny_total", deployment=~"api|batch", namespace=~"jobs|shop"}[1m]))',
    ]);
    expect(refused(detail)).toEqual({ 'deployment/jobs/batch->service/shop/api': 0.5 });
  });

  it("a server's neighbourhood shows the same on its callers' edges, as the whole mesh's topology does", async () => {
    const { detail } = await get('shop/api');
    expect(detail.upstreams.map((u) => u.id)).toEqual(['deployment/jobs/batch', 'deployment/shop/web']);
    expect(refused(detail)).toEqual({ 'deployment/jobs/batch->service/shop/api': 0.5 });
  });
});
