import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError, TopologyResponse } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { deriveAnswer } from '../../testing/derived-answer.js';
import { OUTBOUND_MESH_AT, OUTBOUND_MESH_DESTINATIONS } from '../../testing/outbound-mesh.js';
import { identityOf, POLICY_MESH_AT } from '../../testing/policy-mesh.js';
import { fallbacks, predatingOutbound } from '../../testing/predating-families.js';
import { recordedApi } from '../../testing/recorded-api.js';
import { queryOf, vectorSum } from '../../testing/recorded-sums.js';
import { topologyQueryCount } from '../../topology/topology-queries.js';

const AT = 1795335535;
/** When retry-mesh.json was recorded (see route-stats.test.ts). */
const RETRY_AT = 1795335090;

describe('GET /api/v1/topology against recorded Prometheus answers (the demo mesh)', () => {
  // One namespace's edges are asked as two narrower queries; deriveAnswer answers them from the whole mesh's recording.
  const { prom, app } = recordedApi('demo-mesh.json', { fallback: fallbacks(deriveAnswer, predatingOutbound) });

  it('returns workloads, services and edges client → service → workload, in eight queries', async () => {
    const before = prom().promql().length;
    const res = await app().inject({ url: `/api/v1/topology?namespace=all&window=1m&at=${AT}` });
    // The demo mesh was recorded before proxies counted refusals: the deny query goes unanswered (400), and the
    // topology is built without denials rather than failing.
    expect(res.statusCode).toBe(200);
    const topo = TopologyResponse.parse(res.json());
    expect(prom().promql().length - before).toBe(topologyQueryCount(null));
    expect(topologyQueryCount(null)).toBe(10);
    expect(topo.edges.filter((e) => e.deniedRps !== undefined)).toEqual([]);
    const ids = topo.nodes.map((n) => n.id);
    for (const id of ['deployment/bookshop/web', 'service/bookshop/catalog', 'deployment/traffic/loadgen', 'namespace/billing']) {
      expect(ids).toContain(id);
    }
    const edge = topo.edges.find((e) => e.id === 'deployment/bookshop/web->service/bookshop/reviews');
    expect(edge?.rps).toBeGreaterThan(0);
    // reviews fails every 10th request, and web's proxies saw exactly that.
    expect(edge?.successRate).toBeCloseTo(0.9, 2);
    expect(edge?.health).toBe('failing');
    expect(edge?.secured).toBe(false);
    expect(edge?.insecureReason).toMatch(/identity/);
    // reviews answers 5% of requests in 300 ms: with the hops on top, the p99 its callers saw lies in (300, 400].
    expect(edge?.latencyMs.p99).toBeGreaterThan(300);
    expect(edge?.latencyMs.p99).toBeLessThanOrEqual(400);
    expect(edge?.latencyMs.p50).toBeLessThan(edge?.latencyMs.p99 ?? 0);
    // Every edge points at nodes that exist, so cytoscape can load the graph as is.
    for (const e of topo.edges) {
      expect(ids).toContain(e.source);
      expect(ids).toContain(e.target);
    }
    // Every request of the demo comes from a meshed client: no "unmeshed clients" node, whatever the scrape jitter.
    expect(topo.nodes.filter((n) => n.kind === 'unmeshed')).toEqual([]);
  });

  it('one namespace: its workloads, edges in and out, and only its own services traced to their workloads', async () => {
    const before = prom().promql().length;
    const res = await app().inject({ url: `/api/v1/topology?namespace=bookshop&window=1m&at=${AT}` });
    expect(res.statusCode).toBe(200);
    // The edges from the namespace and those into it are asked apart, side by side: two queries each for rates and
    // buckets; and the refusals by its workloads and of its clients elsewhere, two more.
    const sent = prom().promql().slice(before);
    expect(sent).toHaveLength(topologyQueryCount('bookshop'));
    expect(topologyQueryCount('bookshop')).toBe(13);
    expect(sent.filter((q) => q.includes(' or '))).toEqual([]);
    const topo = TopologyResponse.parse(res.json());
    const edges = topo.edges.map((e) => e.id);
    expect(edges).toContain('deployment/traffic/loadgen->service/bookshop/web');
    expect(edges).toContain('deployment/bookshop/web->service/billing/payments');
    expect(edges).toContain('service/bookshop/web->deployment/bookshop/web');
    // payments lives in billing: its callers outside bookshop are not read, so its service → workload edge is not shown.
    expect(edges).not.toContain('service/billing/payments->deployment/billing/payments');
    expect(topo.nodes.find((n) => n.id === 'deployment/bookshop/web')?.rps).toBeGreaterThan(0);
  });

  it('rejects a window shorter than four scrape intervals', async () => {
    const res = await app({ scrapeIntervalSeconds: 10 }).inject({ url: '/api/v1/topology?window=30s' });
    expect(res.statusCode).toBe(400);
    expect(ApiError.parse(res.json()).error.message).toMatch(/at least 40s/);
  });
});

describe('GET /api/v1/topology against the mesh with retries and an unmeshed client', () => {
  const { app } = recordedApi('retry-mesh.json', { fallback: predatingOutbound });
  it('counts retries as meshed traffic, and shows the client without a proxy at its own rate', async () => {
    const res = await app().inject({ url: `/api/v1/topology?namespace=all&window=1m&at=${RETRY_AT}` });
    expect(res.statusCode).toBe(200);
    const topo = TopologyResponse.parse(res.json());
    expect(topo.nodes.filter((n) => n.kind === 'unmeshed').map((n) => n.id)).toEqual(['unmeshed/shop/items']);
    // 4 requests per second: without the retries, their 3.3 attempts per second would be taken for clients too.
    const edge = topo.edges.find((e) => e.id === 'unmeshed/shop/items->deployment/shop/items');
    expect(edge?.rps).toBeGreaterThan(3.5);
    expect(edge?.rps).toBeLessThan(4.5);
  });
});

describe('GET /api/v1/topology against constructed answers of a mesh under policy (testing/policy-mesh.ts)', () => {
  const { prom, app } = recordedApi('policy-mesh.json');
  const BATCH = identityOf('batch', 'jobs');
  const get = async (namespace: string) => {
    const before = prom().promql().length;
    const res = await app().inject({ url: `/api/v1/topology?namespace=${namespace}&window=1m&at=${POLICY_MESH_AT}` });
    expect(res.statusCode).toBe(200);
    return { topo: TopologyResponse.parse(res.json()), sent: prom().promql().slice(before) };
  };
  const denied = (topo: TopologyResponse) =>
    Object.fromEntries(topo.edges.filter((e) => e.deniedRps !== undefined).map((e) => [e.id, e.deniedRps]));

  it("puts what api refused from batch's identity on batch's edge, and refusals it cannot attribute nowhere", async () => {
    const { topo, sent } = await get('all');
    expect(sent).toHaveLength(topologyQueryCount(null));
    // The one query that selects by __name__ (both deny families).
    const refusals = prom().recorded[queryOf(sent, 'rate(')];
    const byApi = (clientId: string) => (l: Record<string, string>) => l.deployment === 'api' && (l.client_id ?? '') === clientId;
    expect(denied(topo)).toEqual({ 'deployment/jobs/batch->service/shop/api': vectorSum(refusals, byApi(BATCH)) });
    expect(topo.edges.find((e) => e.id === 'deployment/jobs/batch->service/shop/api')).toMatchObject({ deniedRps: 0.5, clientId: BATCH });
    // Refused without mTLS ("") and past the identity limit ("other"): real refusals, but of no known client.
    expect(vectorSum(refusals, byApi(''))).toBeCloseTo(0.25, 9);
    expect(vectorSum(refusals, byApi('other'))).toBeCloseTo(0.01, 9);
    // cache refused batch's connections too, but batch → cache is no HTTP edge of the graph.
    expect(vectorSum(refusals, (l) => l.deployment === 'cache' && l.client_id === BATCH)).toBeCloseTo(0.05, 9);
    expect(topo.edges.find((e) => e.id === 'deployment/shop/web->service/shop/api')?.deniedRps).toBeUndefined();
  });

  it("one namespace: refusals of its clients by workloads elsewhere, and by its own workloads, each query narrowed", async () => {
    // jobs has no server: batch's refusals come from the query for refusals of jobs' identities elsewhere.
    const jobs = await get('jobs');
    expect(jobs.sent).toHaveLength(topologyQueryCount('jobs'));
    const deny = jobs.sent.filter((q) => q.includes('authz_deny_total'));
    expect(deny).toEqual([
      'sum by (namespace, deployment, client_id) (rate({__name__=~"inbound_http_authz_deny_total|inbound_tcp_authz_deny_total", namespace="jobs"}[1m]))',
      'sum by (namespace, deployment, client_id) (rate({__name__=~"inbound_http_authz_deny_total|inbound_tcp_authz_deny_total", client_id=~"[^.]+\\\\.jobs\\\\.serviceaccount\\\\.identity\\\\..+", namespace!="jobs"}[1m]))',
    ]);
    expect(denied(jobs.topo)).toEqual({ 'deployment/jobs/batch->service/shop/api': 0.5 });
    // shop's view: its own api refused batch, a client in another namespace calling a service of shop.
    expect(denied((await get('shop')).topo)).toEqual({ 'deployment/jobs/batch->service/shop/api': 0.5 });
  });
});

describe('GET /api/v1/topology: a split service and its backends (constructed answers, testing/outbound-mesh.ts)', () => {
  const { prom, app } = recordedApi('outbound-mesh.json');
  it("draws reviews' backends with their measured share and configured weight on the edges", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'meshviz-api-'));
    const destinationsFile = join(dir, 'destinations.json');
    await writeFile(destinationsFile, JSON.stringify(OUTBOUND_MESH_DESTINATIONS));
    const before = prom().promql().length;
    const res = await app({ destinationsFile }).inject({ url: `/api/v1/topology?namespace=bookshop&window=1m&at=${OUTBOUND_MESH_AT}` });
    expect(res.statusCode).toBe(200);
    expect(prom().promql().length - before).toBe(topologyQueryCount('bookshop'));
    const topo = TopologyResponse.parse(res.json());
    expect(topo.configured).toEqual({ known: true, reason: null });
    const split = Object.fromEntries(
      topo.edges.filter((e) => e.share !== undefined).map((e) => [e.id, { share: e.share, weight: e.weight, configuredShare: e.configuredShare }]),
    );
    expect(split).toEqual({
      'service/bookshop/reviews->deployment/bookshop/reviews': { share: expect.closeTo(0.9, 12), weight: 90, configuredShare: 0.9 },
      'service/bookshop/reviews->service/bookshop/reviews-v2': { share: expect.closeTo(0.1, 12), weight: 10, configuredShare: 0.1 },
    });
    // The split edge carries what reviews' callers sent reviews-v2, and how it went (one in ten timed out); it is as
    // secured as the callers' own hops to reviews-v2 (web's, over mTLS).
    const v2 = topo.edges.find((e) => e.id === 'service/bookshop/reviews->service/bookshop/reviews-v2');
    expect(v2).toMatchObject({ rps: expect.closeTo(0.5, 12), successRate: expect.closeTo(0.9, 12), health: 'failing', secured: true });
    expect(v2?.insecureReason).toBeUndefined();
    // catalog sends only to itself: no split marks.
    expect(topo.edges.filter((e) => e.source === 'service/bookshop/catalog').every((e) => e.share === undefined)).toBe(true);

    // The destinations file is read again when it changes: weights 50/50 now.
    const table = structuredClone(OUTBOUND_MESH_DESTINATIONS);
    const route = table.services['reviews.bookshop.svc.cluster.local']?.outbound?.routes[0];
    for (const b of route?.backends ?? []) b.weight = 50;
    await writeFile(destinationsFile, JSON.stringify(table));
    const again = TopologyResponse.parse(
      (await app({ destinationsFile }).inject({ url: `/api/v1/topology?namespace=all&window=1m&at=${OUTBOUND_MESH_AT}` })).json(),
    );
    expect(again.edges.find((e) => e.id === 'service/bookshop/reviews->service/bookshop/reviews-v2')).toMatchObject({ weight: 50, configuredShare: 0.5 });
  });
});
