import { readFileSync } from 'node:fs';
import { ApiError, StatsResponse, type StatsRow } from '@meshviz/mesh-types';
import {
  type GroupedQuery,
  type StatsTrafficScope,
  statsTcpOpenConnections,
  statsTcpReadBytes,
  statsTcpWriteBytes,
  statsTrafficMeshedPods,
  statsTrafficResponseRates,
} from '@meshviz/promql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { recordedPrometheus } from '../../testing/recorded-prometheus.js';
import { STATS_QUERY_COUNT, STATS_TCP_QUERY_COUNT } from './stats-queries.js';

/**
 * Recorded off the running demo (`meshviz up --demo`), at AT, with
 *   node dist/testing/record-fixtures.js <prometheus-url> src/routes/stats/fixtures/stats-demo.json \
 *     '/api/v1/stats?kind=service&namespace=all&window=1m&at=<AT>&tcp=true' …
 * for every call below. Every number is checked against the raw answers in the fixture, summed here independently
 * of the API's code.
 */
const FIXTURE = new URL('./fixtures/stats-demo.json', import.meta.url);
const AT = 1796285453;
const raw = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<
  string,
  { data: { result: { metric: Record<string, string>; value: [number, string] }[] } }
>;

/** Sum of the recorded samples of `query` whose labels include `where`; null when none matches. */
function rawSum(q: GroupedQuery, where: Record<string, string> = {}): number | null {
  const query = q.promql;
  const answer = raw[query];
  if (!answer) throw new Error(`not recorded: ${query}`);
  const hits = answer.data.result.filter((r) => Object.entries(where).every(([k, v]) => r.metric[k] === v));
  return hits.length === 0 ? null : hits.reduce((n, r) => n + Number(r.value[1]), 0);
}

/** What a row should say, from the raw answers of its scope's queries. */
function expected(scope: StatsTrafficScope, where: Record<string, string>) {
  const rates = statsTrafficResponseRates(scope);
  const total = rawSum(rates, where);
  const success = rawSum(rates, { ...where, classification: 'success' }) ?? 0;
  return { rps: total, successRate: total === null ? null : success / total };
}
function expectedTcp(scope: StatsTrafficScope, where: Record<string, string>) {
  return {
    openConnections: rawSum(statsTcpOpenConnections(scope), where),
    readBytesPerSec: rawSum(statsTcpReadBytes(scope), where),
    writeBytesPerSec: rawSum(statsTcpWriteBytes(scope), where),
  };
}
const NO_LATENCY = { p50: null, p95: null, p99: null };
const nameOf = (r: StatsRow) => `${r.namespace}/${r.name}`;

describe('GET /api/v1/stats with to, from, kind=service and tcp (recorded demo)', () => {
  let prom: Awaited<ReturnType<typeof recordedPrometheus>>;
  beforeAll(async () => {
    prom = await recordedPrometheus(FIXTURE);
  });
  afterAll(() => prom.close());

  /** Calls the API on a fresh instance (no cache) and counts the PromQL queries it sent. */
  async function stats(qs: string) {
    const app = buildApp({ config: { prometheusUrl: prom.url, prometheusTimeoutMs: 2000, logLevel: 'silent' } });
    const before = prom.promql().length;
    const res = await app.inject({ url: `/api/v1/stats?${qs}&window=1m&at=${AT}` });
    expect(res.statusCode, res.body).toBe(200);
    const body = StatsResponse.parse(res.json());
    const row = (name: string): StatsRow => {
      const r = body.rows.find((x) => nameOf(x) === name);
      if (!r) throw new Error(`no row ${name} in ${body.rows.map(nameOf).join(', ')}`);
      return r;
    };
    return { body, row, queries: prom.promql().length - before };
  }

  it('kind=service: one row per dst_service of the callers, with the meshed pods of the workloads behind it', async () => {
    const { body, row, queries } = await stats('kind=service&namespace=all&tcp=true');
    expect(queries).toBe(STATS_QUERY_COUNT + STATS_TCP_QUERY_COUNT);
    expect(body.rows.map(nameOf)).toEqual(['billing/ledger', 'billing/payments', 'bookshop/catalog', 'bookshop/reviews', 'bookshop/web']);
    const scope = { kind: 'service', namespace: null, window: '1m' } as const;
    for (const r of body.rows) {
      const where = { dst_namespace: r.namespace, dst_service: r.name };
      expect(r.kind).toBe('service');
      expect(r.rps).toBeCloseTo(expected(scope, where).rps ?? Number.NaN, 12);
      expect(r.successRate).toBeCloseTo(expected(scope, where).successRate ?? Number.NaN, 12);
      expect(r.tcp).toEqual(expectedTcp(scope, where));
      // Each demo service is backed by the workload of the same name.
      expect(r.meshedPods).toBe(rawSum(statsTrafficMeshedPods(scope), { namespace: r.namespace, deployment: r.name }));
      expect(r.latencyMs.p50).not.toBeNull();
    }
    expect(row('bookshop/web').rps).toBeCloseTo(20, 0); // the load generator's 20 requests/s
    expect(row('bookshop/catalog').meshedPods).toBe(2);
    expect(row('bookshop/reviews').meshedPods).toBe(1);
    expect(row('bookshop/reviews').successRate).toBeCloseTo(0.9, 2); // reviews fails every 10th request
  });

  it('to: each source’s outbound traffic to the destination; sources without any are null, not 0', async () => {
    const { body, row, queries } = await stats('kind=deployment&namespace=bookshop&to_kind=service&to_name=payments&to_namespace=billing&tcp=true');
    expect(queries).toBe(STATS_QUERY_COUNT + STATS_TCP_QUERY_COUNT);
    expect(body.rows.map(nameOf)).toEqual(['bookshop/catalog', 'bookshop/reviews', 'bookshop/web']);
    const scope = { kind: 'deployment', namespace: 'bookshop', window: '1m', to: { kind: 'service', name: 'payments', namespace: 'billing' } } as const;
    const web = row('bookshop/web');
    const want = expected(scope, { namespace: 'bookshop', deployment: 'web' });
    expect(web.rps).toBeCloseTo(want.rps ?? Number.NaN, 12);
    expect(web.successRate).toBeCloseTo(want.successRate ?? Number.NaN, 12);
    expect(web.rps).toBeCloseTo(5, 0); // a quarter of the load is POST /checkout, which calls payments once
    expect(web.meshedPods).toBe(2);
    expect(web.tcp).toEqual(expectedTcp(scope, { namespace: 'bookshop', deployment: 'web' }));
    for (const name of ['bookshop/catalog', 'bookshop/reviews']) {
      expect(row(name)).toMatchObject({
        rps: null,
        successRate: null,
        latencyMs: NO_LATENCY,
        tcp: { openConnections: null, readBytesPerSec: null, writeBytesPerSec: null },
      });
    }
    // web is payments' only caller: the same series as the payments service row.
    const services = await stats('kind=service&namespace=all&tcp=true');
    expect(web.rps).toBeCloseTo(services.row('billing/payments').rps ?? Number.NaN, 12);
    expect(web.latencyMs).toEqual(services.row('billing/payments').latencyMs);
    expect(web.tcp).toEqual(services.row('billing/payments').tcp);
  });

  it('from: what each destination received from the source, read from the source’s outbound series', async () => {
    const from = await stats('kind=deployment&namespace=bookshop&from_kind=deployment&from_name=loadgen&from_namespace=traffic&tcp=true');
    expect(from.queries).toBe(STATS_QUERY_COUNT + STATS_TCP_QUERY_COUNT);
    expect(from.body.rows.map(nameOf)).toEqual(['bookshop/catalog', 'bookshop/reviews', 'bookshop/web']);
    const scope = {
      kind: 'deployment',
      namespace: 'bookshop',
      window: '1m',
      from: { kind: 'deployment', name: 'loadgen', namespace: 'traffic' },
    } as const;
    const web = from.row('bookshop/web');
    const where = { dst_namespace: 'bookshop', dst_deployment: 'web' };
    expect(web.rps).toBeCloseTo(expected(scope, where).rps ?? Number.NaN, 12);
    expect(web.successRate).toBeCloseTo(expected(scope, where).successRate ?? Number.NaN, 12);
    expect(web.tcp).toEqual(expectedTcp(scope, where));
    expect(web.meshedPods).toBe(2);
    expect(from.row('bookshop/catalog')).toMatchObject({ rps: null, successRate: null, meshedPods: 2, latencyMs: NO_LATENCY });

    // The same traffic seen the other way round: loadgen's row towards web.
    const to = await stats('kind=deployment&namespace=all&to_kind=deployment&to_name=web&to_namespace=bookshop');
    expect(to.queries).toBe(STATS_QUERY_COUNT);
    const loadgen = to.row('traffic/loadgen');
    expect(loadgen.rps).toBeCloseTo(web.rps ?? Number.NaN, 12);
    expect(loadgen.successRate).toBeCloseTo(web.successRate ?? Number.NaN, 12);
    expect(loadgen.latencyMs).toEqual(web.latencyMs);
    expect(loadgen.tcp).toBeUndefined();
    expect(to.body.rows.filter((r) => r.rps !== null).map(nameOf)).toEqual(['traffic/loadgen']);
  });

  it('from with services and pods as rows', async () => {
    const services = await stats('kind=service&namespace=bookshop&from_kind=deployment&from_name=web&from_namespace=bookshop');
    expect(services.queries).toBe(STATS_QUERY_COUNT);
    // web calls payments too, but in billing.
    expect(services.body.rows.map(nameOf)).toEqual(['bookshop/catalog', 'bookshop/reviews']);
    const scope = { kind: 'service', namespace: 'bookshop', window: '1m', from: { kind: 'deployment', name: 'web', namespace: 'bookshop' } } as const;
    for (const r of services.body.rows) {
      expect(r.rps).toBeCloseTo(expected(scope, { dst_service: r.name }).rps ?? Number.NaN, 12);
    }

    const pods = await stats('kind=pod&namespace=bookshop&from_kind=deployment&from_name=web&from_namespace=bookshop');
    expect(pods.body.rows.map(nameOf)).toEqual(['bookshop/catalog-0', 'bookshop/catalog-1', 'bookshop/reviews-0', 'bookshop/web-0', 'bookshop/web-1']);
    const catalog = (pods.row('bookshop/catalog-0').rps ?? 0) + (pods.row('bookshop/catalog-1').rps ?? 0);
    expect(catalog).toBeCloseTo(services.row('bookshop/catalog').rps ?? Number.NaN, 9);
    expect(pods.row('bookshop/web-0')).toMatchObject({ meshedPods: 1, rps: null, successRate: null });
  });

  it('namespaces to a namespace', async () => {
    const { body, row } = await stats('kind=namespace&namespace=all&to_kind=namespace&to_name=billing');
    expect(body.rows.map(nameOf)).toEqual(['billing/billing', 'bookshop/bookshop', 'traffic/traffic']);
    const services = await stats('kind=service&namespace=all&tcp=true');
    // bookshop calls billing through payments; billing calls itself through ledger; traffic only calls bookshop.
    expect(row('bookshop/bookshop').rps).toBeCloseTo(services.row('billing/payments').rps ?? Number.NaN, 12);
    expect(row('billing/billing').rps).toBeCloseTo(services.row('billing/ledger').rps ?? Number.NaN, 12);
    expect(row('billing/billing').meshedPods).toBe(3);
    expect(row('traffic/traffic')).toMatchObject({ meshedPods: 1, rps: null });
  });

  it('tcp=true on inbound rows: what the proxies accepted; a workload nobody connects to has nulls', async () => {
    const { row, queries } = await stats('kind=deployment&namespace=all&tcp=true');
    expect(queries).toBe(STATS_QUERY_COUNT + STATS_TCP_QUERY_COUNT);
    const scope = { kind: 'deployment', namespace: null, window: '1m' } as const;
    expect(row('bookshop/web').tcp).toEqual(expectedTcp(scope, { namespace: 'bookshop', deployment: 'web' }));
    expect(row('bookshop/web').tcp?.readBytesPerSec).toBeGreaterThan(0);
    expect(row('traffic/loadgen').tcp).toEqual({ openConnections: null, readBytesPerSec: null, writeBytesPerSec: null });
    expect(rawSum(statsTcpOpenConnections(scope), { deployment: 'loadgen' })).toBeNull();
  });
});

describe('GET /api/v1/stats refuses bad to/from/tcp parameters', () => {
  const config = { prometheusUrl: 'http://127.0.0.1:9', prometheusTimeoutMs: 2000, logLevel: 'silent' };
  it.each([
    ['to_kind=deployment&from_kind=deployment', 'from_kind', /cannot be combined with to_/],
    ['to_kind=service&to_name=web&from_name=web', 'from_name', /cannot be combined/],
    ['to_name=web', 'to_name', /needs to_kind/],
    ['to_namespace=bookshop', 'to_namespace', /needs to_kind/],
    ['from_name=web', 'from_name', /needs from_kind/],
    ['from_namespace=bookshop', 'from_namespace', /needs from_kind/],
    ['to_kind=widget', 'to_kind', /deployment/],
    ['to_kind=statefulset', 'to_kind', /deployment/],
    ['from_kind=service', 'from_kind', /deployment/],
    ['to_kind=deployment&to_name=Web_1', 'to_name', /DNS-1123/],
    ['to_kind=deployment&to_name=a%22%7D%20or%20vector(1)', 'to_name', /DNS-1123/],
    ['from_kind=pod&from_name=web-0&from_namespace=a%22', 'from_namespace', /DNS-1123/],
    ['to_kind=namespace&to_name=billing&to_namespace=billing', 'to_namespace', /to_name names the namespace/],
    ['kind=service&to_kind=deployment&to_name=web', 'to_kind', /kind=service/],
    ['kind=statefulset&from_kind=deployment&from_name=web', 'kind', /with from_\*/],
    ['kind=svc', 'kind', /service/],
    ['tcp=yes', 'tcp', /true/],
  ])('%s → 400 naming %s', async (qs, param, message) => {
    const res = await buildApp({ config }).inject({ url: `/api/v1/stats?${qs}` });
    expect(res.statusCode).toBe(400);
    const body = ApiError.parse(res.json());
    expect(body.error.code).toBe('API_BAD_REQUEST');
    expect(body.error.param).toBe(param);
    expect(body.error.message).toContain(`"${param}"`);
    expect(body.error.message).toMatch(message);
  });
});
