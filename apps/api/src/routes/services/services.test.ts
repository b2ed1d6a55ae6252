import { ApiError, ServiceDetailResponse, TopologyResponse } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { deriveAnswer } from '../../testing/derived-answer.js';
import { POLICY_MESH_AT } from '../../testing/policy-mesh.js';
import { fallbacks, predatingOutbound } from '../../testing/predating-families.js';
import { recordedApi } from '../../testing/recorded-api.js';
import { SERVICE_DETAIL_QUERY_COUNT } from './service-detail.js';

/** When demo-mesh.json was recorded (see workloads.test.ts). */
const AT = 1795335535;
const EDGES =
  'sum by (namespace, deployment, dst_namespace, dst_service, dst_deployment, classification, tls, no_tls_reason) (rate(response_total{direction="outbound"}[1m]))';
const INBOUND = 'sum by (namespace, deployment, classification) (rate(response_total{direction="inbound"}[1m]))';

type Raw = { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };

describe('GET /api/v1/services/:namespace/:name against recorded Prometheus answers (the demo mesh)', () => {
  // Queries that only narrow a recorded one are answered from it (testing/derived-answer.ts).
  const { prom, app } = recordedApi('demo-mesh.json', { fallback: fallbacks(deriveAnswer, predatingOutbound) });
  const get = (url: string) => app().inject({ url });
  /** Sum of a recorded whole-mesh answer's values over the groups the predicate keeps. */
  const raw = (query: string, keep: (l: Record<string, string>) => boolean) =>
    (prom().recorded[query] as Raw).data.result.filter((s) => keep(s.metric)).reduce((a, s) => a + Number(s.value[1]), 0);

  it('gives bookshop/catalog the numbers its callers recorded, its caller and its backend', async () => {
    const before = prom().promql().length;
    const res = await get(`/api/v1/services/bookshop/catalog?window=1m&at=${AT}`);
    expect(res.statusCode).toBe(200);
    const sent = prom().promql().slice(before);
    expect(sent).toHaveLength(SERVICE_DETAIL_QUERY_COUNT);
    expect(SERVICE_DETAIL_QUERY_COUNT).toBe(11);
    // None reads the whole mesh: the first two name the service, then the workloads around it, and the outbound
    // side's four the service as their parent.
    for (const q of sent) expect(q).toMatch(/dst_service="catalog"|deployment=~"catalog\|web"|parent_name="catalog", parent_namespace="bookshop"/);
    expect(sent.filter((q) => q.includes('parent_name="catalog"'))).toHaveLength(4);
    const detail = ServiceDetailResponse.parse(res.json());

    const toCatalog = (l: Record<string, string>) => l.dst_namespace === 'bookshop' && l.dst_service === 'catalog';
    const rps = raw(EDGES, toCatalog);
    const ok = raw(EDGES, (l) => toCatalog(l) && l.classification === 'success');
    expect(rps).toBeGreaterThan(1);
    expect(detail.service).toMatchObject({ namespace: 'bookshop', name: 'catalog', authority: 'catalog.bookshop.svc.cluster.local' });
    expect(detail.service.rps).toBeCloseTo(rps, 12);
    expect(detail.service.successRate).toBeCloseTo(ok / rps, 12);
    // The demo has no identity service: nothing is mTLS, which is a share of 0, not "no data".
    expect(detail.service.mtlsShare).toBe(0);
    const { p50, p95, p99 } = detail.service.latencyMs;
    expect(p50).toBeGreaterThan(0);
    expect(p50!).toBeLessThanOrEqual(p95!);
    expect(p95!).toBeLessThanOrEqual(p99!);

    expect(detail.upstreams.map((u) => u.id)).toEqual(['deployment/bookshop/web']);
    expect(detail.upstreams[0]?.rps).toBeCloseTo(rps, 12);
    expect(detail.upstreams[0]?.secured).toBe(false);
    expect(detail.backends.map((b) => b.id)).toEqual(['deployment/bookshop/catalog']);
    const backend = detail.backends[0]!;
    expect(backend.share).toBe(1);
    expect(backend.inbound.meshedPods).toBe(2);
    expect(backend.inbound.rps).toBeCloseTo(raw(INBOUND, (l) => l.namespace === 'bookshop' && l.deployment === 'catalog'), 12);
  });

  it('draws callers → service → backends with the numbers of the whole-mesh topology', async () => {
    const detail = ServiceDetailResponse.parse((await get(`/api/v1/services/billing/payments?window=1m&at=${AT}`)).json());
    const topology = TopologyResponse.parse((await get(`/api/v1/topology?namespace=all&window=1m&at=${AT}`)).json());
    expect(detail.graph.edges.map((e) => e.id).sort()).toEqual([
      'deployment/bookshop/web->service/billing/payments',
      'service/billing/payments->deployment/billing/payments',
    ]);
    expect(detail.graph.nodes.map((n) => n.id).sort()).toEqual([
      'deployment/billing/payments',
      'deployment/bookshop/web',
      'namespace/billing',
      'namespace/bookshop',
      'service/billing/payments',
    ]);
    const nodes = new Map(topology.nodes.map((n) => [n.id, n]));
    const edges = new Map(topology.edges.map((e) => [e.id, e]));
    const same = (a: number | null, b: number | null | undefined) => (a === null ? expect(b).toBeNull() : expect(b).toBeCloseTo(a, 12));
    for (const e of detail.graph.edges) {
      const whole = edges.get(e.id);
      same(e.rps, whole?.rps);
      same(e.successRate, whole?.successRate);
      for (const q of ['p50', 'p95', 'p99'] as const) same(e.latencyMs[q], whole?.latencyMs[q]);
      expect([e.health, e.secured, e.insecureReason]).toEqual([whole?.health, whole?.secured, whole?.insecureReason]);
    }
    for (const n of detail.graph.nodes) {
      const whole = nodes.get(n.id);
      same(n.rps, whole?.rps);
      same(n.successRate, whole?.successRate);
      expect([n.health, n.meshed, n.dead]).toEqual([whole?.health, whole?.meshed, whole?.dead]);
    }
    // payments fails every 20th request: the service's success rate is what web saw, as web's proxies recorded it.
    expect(detail.service.successRate).toBeCloseTo(detail.upstreams[0]?.successRate ?? Number.NaN, 12);
    const toPayments = (l: Record<string, string>) => l.dst_namespace === 'billing' && l.dst_service === 'payments';
    const ok = raw(EDGES, (l) => toPayments(l) && l.classification === 'success');
    expect(detail.service.successRate).toBeCloseTo(ok / raw(EDGES, toPayments), 12);
    // About 300 requests in the window, so 1 failure more or less moves it by 0.003: near 0.95, not just below 1.
    expect(Math.abs((detail.service.successRate ?? 0) - 0.95)).toBeLessThan(0.01);
  });

  it('answers 404 naming a service no meshed caller addressed in the window', async () => {
    const res = await get(`/api/v1/services/bookshop/nope?window=1m&at=${AT}`);
    expect(res.statusCode).toBe(404);
    const body = ApiError.parse(res.json());
    expect(body.error.code).toBe('API_NOT_FOUND');
    expect(body.error.message).toMatch(/service bookshop\/nope/);
  });

  it.each([
    ['/api/v1/services/Bad_NS/catalog', 'namespace'],
    ['/api/v1/services/bookshop/cat.alog', 'name'],
    ['/api/v1/services/bookshop/catalog?window=2', 'window'],
    ['/api/v1/services/bookshop/catalog?window=48h', 'window'],
    ['/api/v1/services/bookshop/catalog?at=soon', 'at'],
    ['/api/v1/services/bookshop/catalog?color=red', 'color'],
  ])('rejects %s with a 400 naming %s', async (url, param) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect(ApiError.parse(res.json()).error.param).toBe(param);
  });
});

describe('deriveAnswer', () => {
  const recorded = {
    'sum by (a, b) (rate(m{d="x"}[1m]))': {
      status: 'success',
      data: { resultType: 'vector', result: [{ metric: { a: '1', b: 'p' } }, { metric: { a: '2', b: 'q' } }] },
    },
  };
  it('narrows a recorded answer by matchers on kept labels only', () => {
    expect(deriveAnswer(recorded, 'sum by (a, b) (rate(m{b=~"q|r", d="x"}[1m]))')?.data.result).toEqual([{ metric: { a: '2', b: 'q' } }]);
    expect(deriveAnswer(recorded, 'sum by (a, b) (rate(m{c="z", d="x"}[1m]))')).toBeUndefined();
    expect(deriveAnswer(recorded, 'sum by (a, b) (rate(m{b="q"}[1m]))')).toBeUndefined();
    expect(deriveAnswer(recorded, 'sum by (a, b) (rate(m{b="q", d="x"}[5m]))')).toBeUndefined();
  });
});

describe('GET /api/v1/services/:namespace/:name against constructed answers of a mesh under policy', () => {
  const { prom, app } = recordedApi('policy-mesh.json');
  it("puts on each caller's edge what the service's backends refused from it", async () => {
    const before = prom().promql().length;
    const res = await app().inject({ url: `/api/v1/services/shop/api?window=1m&at=${POLICY_MESH_AT}` });
    expect(res.statusCode).toBe(200);
    expect(prom().promql().length - before).toBe(SERVICE_DETAIL_QUERY_COUNT);
    const detail = ServiceDetailResponse.parse(res.json());
    expect(detail.graph.edges.map((e) => [e.id, e.deniedRps])).toEqual([
      ['deployment/jobs/batch->service/shop/api', 0.5],
      ['deployment/shop/web->service/shop/api', undefined],
      ['service/shop/api->deployment/shop/api', undefined],
    ]);
  });
});
