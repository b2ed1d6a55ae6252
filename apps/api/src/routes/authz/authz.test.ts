import { ApiError, AuthzResponse, type AuthzRow } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { identityOf, POLICY_MESH_AT } from '../../testing/policy-mesh.js';
import { recordedApi } from '../../testing/recorded-api.js';
import { queryOf, vectorSum } from '../../testing/recorded-sums.js';
import { AUTHZ_QUERY_COUNT } from './authz-queries.js';

/**
 * Against answers constructed from the hand-described mesh of testing/policy-mesh.ts (no proxy emits the authz
 * families yet, so none could be recorded): shop/api's Server api-http lets web read and write and batch only
 * read, and refuses batch's writes, a client without mTLS and identities past the proxies' limit; its port 8081
 * falls to the default policy; shop/cache refuses batch's connections and audits its metrics port.
 */
type Labels = Record<string, string>;
const rowNamed = (rows: AuthzRow[], route: string, authz: string | null) =>
  rows.find((r) => r.route.name === route && (r.authorization?.name ?? null) === authz);

describe('GET /api/v1/authz against constructed Prometheus answers (a mesh under policy)', () => {
  const { prom, app } = recordedApi('policy-mesh.json');
  const call = async (qs: string) => {
    const before = prom().promql().length;
    const res = await app().inject({ url: `/api/v1/authz?${qs}&window=1m&at=${POLICY_MESH_AT}` });
    expect(res.statusCode).toBe(200);
    return { body: AuthzResponse.parse(res.json()), sent: prom().promql().slice(before) };
  };

  it('a row per server × route × authorization, allowed and denied traffic apart, in six queries', async () => {
    const { body, sent } = await call('kind=deployment&namespace=shop&name=api');
    expect(sent).toHaveLength(AUTHZ_QUERY_COUNT);
    expect(AUTHZ_QUERY_COUNT).toBe(6);
    expect(body.resource).toEqual({ kind: 'deployment', namespace: 'shop', name: 'api' });
    expect(body.rows.map((r) => [`${r.server.kind}/${r.server.name}:${r.server.port}`, r.route.name, r.authorization?.name ?? null])).toEqual([
      ['default/all-unauthenticated:8081', 'probe', 'default:probe'],
      ['server/api-http:8080', 'items-get', 'items-readers'],
      ['server/api-http:8080', 'items-get', null],
      ['server/api-http:8080', 'items-post', 'items-writers'],
      ['server/api-http:8080', 'items-post', null],
    ]);

    const recorded = (family: string) => prom().recorded[queryOf(sent, family)];
    const allow = recorded('rate(inbound_http_authz_allow_total');
    const deny = recorded('rate(inbound_http_authz_deny_total');
    const responses = recorded('rate(response_total');
    const on = (route: string, extra: Labels = {}) => (l: Labels) =>
      l.route_name === route && Object.entries(extra).every(([k, v]) => (l[k] ?? '') === v);

    // Allowed: web's 8 and batch's 1 reads per second, by the authorization that let them in.
    const read = rowNamed(body.rows, 'items-get', 'items-readers')!;
    expect(read.allowedRps).toBeCloseTo(vectorSum(allow, on('items-get', { authz_name: 'items-readers' })), 12);
    expect(read.allowedRps).toBeCloseTo(9, 9);
    expect(read).toMatchObject({ deniedRps: 0, auditedRps: 0, server: { kind: 'server', name: 'api-http', port: '8080' } });
    // Its success rate and latency come from the inbound responses of the same server, route and authorization.
    const readResponses = on('items-get', { authz_name: 'items-readers' });
    const ok = vectorSum(responses, (l) => readResponses(l) && l.classification === 'success');
    expect(read.successRate).toBeCloseTo(ok / vectorSum(responses, readResponses), 12);
    expect(read.successRate).toBeCloseTo(1 - 0.16 / 9, 9);
    // 30 % of reads take 2 ms and 25 % take 4 ms: the median lies in (3, 4], 0.2 / 0.25 of the way.
    expect(read.latency.p50).toBeCloseTo(3.8, 9);
    expect(read.latency.p99).toBeGreaterThan(read.latency.p95 ?? Number.POSITIVE_INFINITY);

    // Denied: no authorization, whoever the client, and no success rate or latency (the proxy answered itself).
    const refusedReads = rowNamed(body.rows, 'items-get', null)!;
    expect(refusedReads.deniedRps).toBeCloseTo(vectorSum(deny, on('items-get')), 12);
    expect(refusedReads.deniedRps).toBeCloseTo(0.26, 9);
    expect(refusedReads).toMatchObject({ allowedRps: 0, auditedRps: 0, successRate: null, latency: { p50: null, p95: null, p99: null } });
    expect(rowNamed(body.rows, 'items-post', null)?.deniedRps).toBeCloseTo(0.5, 9);

    // By client identity, most refused first: "" is a client without mTLS, "other" the identities past the limit.
    expect(body.denials.map((d) => [d.route.name, d.clientId, d.deniedRps])).toEqual([
      ['items-post', identityOf('batch', 'jobs'), 0.5],
      ['items-get', '', 0.25],
      ['items-get', 'other', 0.01],
    ]);
  });

  it("leaves out a default server's idle rows, and keeps those with traffic as the default's name", async () => {
    const { body, sent } = await call('kind=deployment&namespace=shop&name=api');
    const allow = prom().recorded[queryOf(sent, 'rate(inbound_http_authz_allow_total')];
    // The default route of port 8081 has a series, idle in the window.
    const idle = (l: Labels) => l.srv_kind === 'default' && l.route_name === 'default';
    const series = (allow as { data: { result: { metric: Labels; value: [number, string] }[] } }).data.result;
    expect(series.filter((s) => idle(s.metric)).map((s) => s.value[1])).toEqual(['0']);
    expect(body.rows.filter((r) => r.server.kind === 'default').map((r) => [r.server.name, r.route.name])).toEqual([
      ['all-unauthenticated', 'probe'],
    ]);
    expect(rowNamed(body.rows, 'probe', 'default:probe')).toMatchObject({ allowedRps: 0.2, successRate: 1 });
  });

  it('TCP rows from the connection counters (route ""), and audited traffic as what a deny would have refused', async () => {
    const { body } = await call('kind=deployment&namespace=shop&name=cache');
    expect(body.rows).toHaveLength(3);
    const audit = rowNamed(body.rows, 'default', 'audit')!;
    expect(audit).toMatchObject({ server: { kind: 'default', name: 'audit', port: '9121' }, authorization: { kind: 'audit', name: 'audit' } });
    expect(audit.allowedRps).toBeCloseTo(0.2, 9);
    expect(audit.auditedRps).toBe(audit.allowedRps);
    const tcp = body.rows.filter((r) => r.route.kind === '' && r.route.name === '');
    expect(tcp.map((r) => [r.server.name, r.authorization?.name ?? null, r.allowedRps, r.deniedRps, r.successRate])).toEqual([
      ['cache-redis', 'cache-clients', 0.4, 0, null],
      ['cache-redis', null, 0, 0.05, null],
    ]);
    expect(body.denials).toEqual([
      { server: { kind: 'server', name: 'cache-redis', port: '6379' }, route: { kind: '', name: '' }, clientId: identityOf('batch', 'jobs'), deniedRps: 0.05 },
    ]);
  });

  it("one pod: its own proxy's share", async () => {
    const pod = (await call('kind=pod&namespace=shop&name=api-0')).body;
    const all = (await call('kind=deployment&namespace=shop&name=api')).body;
    expect(pod.resource).toEqual({ kind: 'pod', namespace: 'shop', name: 'api-0' });
    expect(pod.rows.map((r) => r.allowedRps + r.deniedRps)).toEqual(all.rows.map((r) => (r.allowedRps + r.deniedRps) / 2));
  });

  it('a workload that only calls has no rows', async () => {
    expect((await call('kind=deployment&namespace=shop&name=web')).body).toEqual({
      resource: { kind: 'deployment', namespace: 'shop', name: 'web' },
      window: '1m',
      rows: [],
      denials: [],
    });
  });

  it('shares one computation between identical requests', async () => {
    const a = app();
    const url = `/api/v1/authz?namespace=shop&name=api&window=1m&at=${POLICY_MESH_AT}`;
    const before = prom().promql().length;
    const [x, y] = await Promise.all([a.inject({ url }), a.inject({ url })]);
    expect(x.json()).toEqual(y.json());
    expect(prom().promql().length - before).toBe(AUTHZ_QUERY_COUNT);
  });
});

describe('GET /api/v1/authz errors', () => {
  const app = (scrapeIntervalSeconds?: number) =>
    buildApp({
      config: { prometheusUrl: 'http://127.0.0.1:9', prometheusTimeoutMs: 500, logLevel: 'silent', ...(scrapeIntervalSeconds ? { scrapeIntervalSeconds } : {}) },
    });
  it.each([
    ['name=api', 'namespace', /required: the namespace of the resource/],
    ['namespace=shop', 'name', /required: the name of the resource/],
    ['kind=service&namespace=shop&name=api', 'kind', /must be one of deployment, .*pod/],
    ['namespace=Shop&name=api', 'namespace', /DNS-1123/],
    ['namespace=shop&name=api.v2', 'name', /DNS-1123/],
    ['namespace=shop&name=api&window=5', 'window', /duration/],
    ['namespace=shop&name=api&at=soon', 'at', /RFC 3339/],
    ['namespace=shop&name=api&route=x', 'route', /unknown parameter/],
  ])('rejects %s with a 400 naming %s', async (qs, param, message) => {
    const res = await app().inject({ url: `/api/v1/authz?${qs}` });
    expect(res.statusCode).toBe(400);
    const body = ApiError.parse(res.json());
    expect(body.error.param).toBe(param);
    expect(body.error.message).toMatch(message);
  });

  it('rejects a window shorter than four scrape intervals, naming the smallest allowed', async () => {
    const res = await app(10).inject({ url: '/api/v1/authz?namespace=shop&name=api&window=30s' });
    expect(res.statusCode).toBe(400);
    expect(ApiError.parse(res.json()).error).toMatchObject({ param: 'window', message: expect.stringMatching(/at least 40s/) });
  });

  it('answers 503 when Prometheus cannot be reached', async () => {
    const res = await app(5).inject({ url: '/api/v1/authz?namespace=shop&name=api' });
    expect(res.statusCode).toBe(503);
    expect(ApiError.parse(res.json()).error.code).toBe('API_PROMETHEUS_UNAVAILABLE');
  });
});
