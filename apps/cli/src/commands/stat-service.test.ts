import type { ServiceDetailResponse } from '@meshviz/mesh-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../config.js';
import { type ApiStandIn, captureStdout, startApiStandIn } from '../testing/api-stand-in.js';
import { renderServiceSplit } from './service-split.js';
import { parseStatArgs, runStat } from './stat.js';
import { UsageError } from './usage-error.js';

const ENV = parseEnv({});
const parse = (...argv: string[]) => parseStatArgs(['--api', 'http://x', ...argv], ENV);

describe('meshviz stat svc/<name> arguments', () => {
  it('takes one service in its namespace', () => {
    expect(parse('svc/reviews', '-n', 'bookshop')).toMatchObject({ kind: 'service', service: 'reviews', common: { namespace: 'bookshop' } });
    expect(parse('service/reviews-v2', '--namespace=bookshop', '-w', '5m')).toMatchObject({ service: 'reviews-v2', common: { window: '5m' } });
  });
  it.each([
    [['svc/reviews'], /-n\/--namespace: meshviz stat svc\/<name> needs the namespace/],
    [['svc/reviews', '-A'], /needs the namespace/],
    [['deploy/web', '-n', 'bookshop'], /"deploy\/web": only a service is shown on its own/],
    [['svc/Reviews', '-n', 'bookshop'], /"Reviews" is not a service name/],
    [['svc/reviews', '-n', 'bookshop', '--tcp'], /--tcp: not with svc\/<name>/],
    [['svc/reviews', '-n', 'bookshop', '--from', 'deploy/web'], /--from: not with svc\/<name>/],
  ])('refuses %j, naming the argument', (argv, message) => {
    expect(() => parse(...argv)).toThrow(UsageError);
    expect(() => parse(...argv)).toThrow(message);
  });
});

// What the API answered on the constructed outbound mesh (apps/api/src/testing/outbound-mesh.ts), graph left out.
const base = { window: '1m', upstreams: [], backends: [], graph: { nodes: [], edges: [] } };
const backend = (name: string) => ({ namespace: 'bookshop', name, authority: `${name}.bookshop.svc.cluster.local` });
const REVIEWS: ServiceDetailResponse = {
  ...base,
  service: {
    ...backend('reviews'),
    rps: 4.5,
    successRate: 0.8999999999999999,
    latencyMs: { p50: 3, p95: 7.499999999999995, p99: 9.5 },
    mtlsShare: 1,
  },
  split: [
    { route: { kind: 'HTTPRoute', name: 'GET /reviews' }, backend: backend('reviews'), configuredWeight: 90, configuredShare: 0.9, measuredShare: 0.9, rps: 4.5, successRate: 0.8999999999999999 },
    { route: { kind: 'HTTPRoute', name: 'GET /reviews' }, backend: backend('reviews-v2'), configuredWeight: 10, configuredShare: 0.1, measuredShare: 0.1, rps: 0.5, successRate: 0.9 },
    { route: { kind: 'HTTPRoute', name: 'POST /reviews' }, backend: backend('reviews'), configuredWeight: 1, configuredShare: 1, measuredShare: null, rps: null, successRate: null },
  ],
  endpoints: [
    { backend: backend('reviews'), ready: 1, pending: 0, proxies: 2, trips: [] },
    { backend: backend('reviews-v2'), ready: 1, pending: 0, proxies: 2, trips: [] },
  ],
  failureAccrual: { kind: 'none', maxFailures: 7, minPenaltyMs: 1000, maxPenaltyMs: 60000, jitter: 0.5 },
  configured: { known: true, reason: null },
};
const CATALOG: ServiceDetailResponse = {
  ...base,
  service: { ...backend('catalog'), rps: 10, successRate: 0.9970000000000001, latencyMs: { p50: 3, p95: 7.5, p99: 9.500000000000002 }, mtlsShare: 1 },
  split: [
    { route: { kind: 'HTTPRoute', name: 'GET /books' }, backend: backend('catalog'), configuredWeight: 1, configuredShare: 1, measuredShare: 1, rps: 11.14, successRate: 0.8949730700179533 },
  ],
  endpoints: [{ backend: backend('catalog'), ready: 1, pending: 1, proxies: 2, trips: [{ endpoint: '10.0.0.12:4143', pod: 'catalog-1', trips: 3 }] }],
  failureAccrual: { kind: 'consecutive', maxFailures: 7, minPenaltyMs: 1000, maxPenaltyMs: 60000, jitter: 0.5 },
  configured: { known: true, reason: null },
};

describe('meshviz stat svc/<name> output', () => {
  it("reviews: each backend's configured weight beside its measured share, per route, and its endpoints", () => {
    expect(renderServiceSplit(REVIEWS)).toBe(
      [
        'SERVICE            SUCCESS       RPS      P50      P95      P99',
        'bookshop/reviews    90.00%   4.50rps   3.00ms   7.50ms   9.50ms',
        '',
        'ROUTE           BACKEND      WEIGHT   CONFIGURED   MEASURED      SUCCESS       RPS',
        'GET /reviews    reviews          90       90.00%     90.00%       90.00%   4.50rps',
        '                reviews-v2       10       10.00%     10.00%       90.00%   0.50rps',
        'POST /reviews   reviews           1      100.00%          -   no traffic         -',
        '',
        'BACKEND      READY   PENDING   CALLERS   TRIPPED',
        'reviews          1         0         2   -',
        'reviews-v2       1         0         2   -',
        '',
        'failure accrual: none (endpoints are never tripped)',
      ].join('\n'),
    );
  });

  it('catalog: a replica tripped by the breaker, and why the configuration is not known when it is not', () => {
    const lines = renderServiceSplit(CATALOG).split('\n');
    expect(lines.slice(6)).toEqual([
      'BACKEND   READY   PENDING   CALLERS   TRIPPED',
      'catalog       1         1         2   catalog-1 ×3',
      '',
      'failure accrual: consecutive: trip after 7 failures in a row, penalty 1s–1m, jitter 0.5',
    ]);
    const unknown = renderServiceSplit({
      ...CATALOG,
      split: CATALOG.split?.map((s) => ({ ...s, configuredWeight: null, configuredShare: null })),
      failureAccrual: null,
      configured: { known: false, reason: 'the destinations file has no entry for catalog.bookshop.svc.cluster.local' },
    }).split('\n');
    expect(unknown[4]).toMatch(/^GET \/books\s+catalog\s+-\s+-\s+100\.00%\s+89\.50%\s+11\.1rps$/);
    expect(unknown.at(-1)).toBe('configured policy not known: the destinations file has no entry for catalog.bookshop.svc.cluster.local');
  });

  describe('against an API', () => {
    let api: ApiStandIn;
    beforeAll(async () => {
      api = await startApiStandIn((url) =>
        url.includes('/nope') ? { status: 404, body: { error: { code: 'API_NOT_FOUND', message: 'service bookshop/nope not found', requestId: 'r' } } } : { body: REVIEWS },
      );
    });
    afterAll(() => api.close());
    const run = (...argv: string[]) => captureStdout(() => runStat(['--api', api.url, ...argv], ENV));

    it('asks for the service detail and prints its split', async () => {
      const { code, out } = await run('svc/reviews', '-n', 'bookshop', '-w', '5m');
      expect(code).toBe(0);
      expect(api.asked.at(-1)).toBe('/api/v1/services/bookshop/reviews?window=5m');
      expect(out).toContain('reviews-v2       10       10.00%     10.00%');
    });

    it('prints the API JSON with -o json, and passes on the API error', async () => {
      const { out } = await run('svc/reviews', '-n', 'bookshop', '-o', 'json');
      expect(JSON.parse(out)).toEqual(REVIEWS);
      await expect(run('svc/nope', '-n', 'bookshop')).rejects.toThrow('service bookshop/nope not found');
    });
  });
});
