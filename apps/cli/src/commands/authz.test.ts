import type { AuthzResponse } from '@meshviz/mesh-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../config.js';
import { type ApiStandIn, captureStdout, startApiStandIn } from '../testing/api-stand-in.js';
import { parseAuthzArgs, parseAuthzTarget, renderAuthz, runAuthz } from './authz.js';
import { UsageError } from './usage-error.js';

/** The CLI's environment with no variable set: the tests name the API with --api. */
const ENV = parseEnv({});
const params = (...argv: string[]) => parseAuthzArgs(['--api', 'http://x', ...argv], ENV).params;

describe('meshviz authz arguments', () => {
  it.each([
    [['deploy/api', '-n', 'shop'], { kind: 'deployment', namespace: 'shop', name: 'api', window: '1m' }],
    [['api', '-n', 'shop', '-w', '5m'], { kind: 'deployment', namespace: 'shop', name: 'api', window: '5m' }],
    [['sts/db', '--namespace=data'], { kind: 'statefulset', namespace: 'data', name: 'db', window: '1m' }],
    [['-n', 'shop', 'po/api-0'], { kind: 'pod', namespace: 'shop', name: 'api-0', window: '1m' }],
    [['cj/report', '-n', 'jobs'], { kind: 'cronjob', namespace: 'jobs', name: 'report', window: '1m' }],
  ])('meshviz authz %j', (argv, expected) => {
    expect(params(...argv)).toEqual(expected);
  });

  it.each([
    [['-n', 'shop'], /needs a resource, e.g. "deploy\/web"/],
    [['deploy/api'], /-n\/--namespace: meshviz authz needs the namespace of the resource/],
    [['deploy/api', '-A'], /-n\/--namespace: meshviz authz needs the namespace/],
    [['deploy/api', '-n', 'Shop'], /-n\/--namespace "Shop" is not a namespace name/],
    [['svc/api', '-n', 'shop'], /<resource> "svc\/api": the kind must be a workload kind \(deploy, sts, ds, job, cj, rs\) or po/],
    [['ns/shop', '-n', 'shop'], /<resource> "ns\/shop": the kind must be/],
    [['deploy/Api', '-n', 'shop'], /<resource> "deploy\/Api": "Api" is not a deployment name/],
    [['deploy/', '-n', 'shop'], /"" is not a deployment name/],
    [['deploy/a', 'deploy/b', '-n', 'shop'], /takes one <resource>, got "deploy\/a deploy\/b"/],
  ])('refuses %j, naming the argument', (argv, message) => {
    expect(() => params(...argv)).toThrow(UsageError);
    expect(() => params(...argv)).toThrow(message);
  });

  it('reads every kind the API takes', () => {
    expect(['deploy/a', 'sts/a', 'ds/a', 'job/a', 'cj/a', 'rs/a', 'po/a'].map((t) => parseAuthzTarget(t).kind)).toEqual([
      'deployment',
      'statefulset',
      'daemonset',
      'job',
      'cronjob',
      'replicaset',
      'pod',
    ]);
  });

  it('refuses a bad -o before asking anything', () => {
    expect(() => params('deploy/api', '-n', 'shop', '-o', 'yaml')).toThrow(/-o\/--output must be "table" or "json"/);
  });
});

// What the API answered on the constructed policy mesh (apps/api/src/testing/policy-mesh.ts): shop/api refuses
// batch's writes, a client without mTLS and identities past the limit; shop/cache audits its metrics port and
// refuses batch's connections to redis.
const API: AuthzResponse = {
  resource: { kind: 'deployment', namespace: 'shop', name: 'api' },
  window: '1m',
  rows: [
    { server: { kind: 'default', name: 'all-unauthenticated', port: '8081' }, route: { kind: 'default', name: 'probe' }, authorization: { kind: 'default', name: 'default:probe' }, allowedRps: 0.2, deniedRps: 0, auditedRps: 0, successRate: 1, latency: { p50: 0.75, p95: 0.975, p99: 0.995 } },
    { server: { kind: 'server', name: 'api-http', port: '8080' }, route: { kind: 'HTTPRoute', name: 'items-get' }, authorization: { kind: 'authorizationpolicy', name: 'items-readers' }, allowedRps: 9, deniedRps: 0, auditedRps: 0, successRate: 0.9822222222222222, latency: { p50: 3.8, p95: 19.99999999999998, p99: 40 } },
    { server: { kind: 'server', name: 'api-http', port: '8080' }, route: { kind: 'HTTPRoute', name: 'items-get' }, authorization: null, allowedRps: 0, deniedRps: 0.26, auditedRps: 0, successRate: null, latency: { p50: null, p95: null, p99: null } },
    { server: { kind: 'server', name: 'api-http', port: '8080' }, route: { kind: 'HTTPRoute', name: 'items-post' }, authorization: { kind: 'authorizationpolicy', name: 'items-writers' }, allowedRps: 2, deniedRps: 0, auditedRps: 0, successRate: 1, latency: { p50: 10, p95: 74.99999999999997, p99: 95 } },
    { server: { kind: 'server', name: 'api-http', port: '8080' }, route: { kind: 'HTTPRoute', name: 'items-post' }, authorization: null, allowedRps: 0, deniedRps: 0.5, auditedRps: 0, successRate: null, latency: { p50: null, p95: null, p99: null } },
  ],
  denials: [
    { server: { kind: 'server', name: 'api-http', port: '8080' }, route: { kind: 'HTTPRoute', name: 'items-post' }, clientId: 'batch.jobs.serviceaccount.identity.meshviz.cluster.local', deniedRps: 0.5 },
    { server: { kind: 'server', name: 'api-http', port: '8080' }, route: { kind: 'HTTPRoute', name: 'items-get' }, clientId: '', deniedRps: 0.25 },
    { server: { kind: 'server', name: 'api-http', port: '8080' }, route: { kind: 'HTTPRoute', name: 'items-get' }, clientId: 'other', deniedRps: 0.01 },
  ],
};

const CACHE: AuthzResponse = {
  resource: { kind: 'deployment', namespace: 'shop', name: 'cache' },
  window: '1m',
  rows: [
    { server: { kind: 'default', name: 'audit', port: '9121' }, route: { kind: 'default', name: 'default' }, authorization: { kind: 'audit', name: 'audit' }, allowedRps: 0.2, deniedRps: 0, auditedRps: 0.2, successRate: 1, latency: { p50: 2.5, p95: 2.95, p99: 2.99 } },
    { server: { kind: 'server', name: 'cache-redis', port: '6379' }, route: { kind: '', name: '' }, authorization: { kind: 'authorizationpolicy', name: 'cache-clients' }, allowedRps: 0.4, deniedRps: 0, auditedRps: 0, successRate: null, latency: { p50: null, p95: null, p99: null } },
    { server: { kind: 'server', name: 'cache-redis', port: '6379' }, route: { kind: '', name: '' }, authorization: null, allowedRps: 0, deniedRps: 0.05, auditedRps: 0, successRate: null, latency: { p50: null, p95: null, p99: null } },
  ],
  denials: [
    { server: { kind: 'server', name: 'cache-redis', port: '6379' }, route: { kind: '', name: '' }, clientId: 'batch.jobs.serviceaccount.identity.meshviz.cluster.local', deniedRps: 0.05 },
  ],
};

describe('meshviz authz output', () => {
  it('renders a row per server, route and authorization, then the refusals by client', () => {
    expect(renderAuthz(API)).toBe(
      [
        'ROUTE        SERVER                        AUTHORIZATION                       UNAUTHORIZED   SUCCESS       RPS   LATENCY_P50   LATENCY_P95   LATENCY_P99',
        'probe        default:all-unauthenticated   default:probe                            0.00rps   100.00%   0.20rps         750µs         975µs         995µs',
        'items-get    server/api-http               authorizationpolicy/items-readers        0.00rps    98.22%   9.00rps        3.80ms        20.0ms        40.0ms',
        'items-get    server/api-http               [denied]                                 0.26rps         -         -             -             -             -',
        'items-post   server/api-http               authorizationpolicy/items-writers        0.00rps   100.00%   2.00rps        10.0ms        75.0ms        95.0ms',
        'items-post   server/api-http               [denied]                                 0.50rps         -         -             -             -             -',
        '',
        'DENIED BY CLIENT',
        'CLIENT ID    SERVER            ROUTE            RPS',
        'batch.jobs   server/api-http   items-post   0.50rps',
        '[no mTLS]    server/api-http   items-get    0.25rps',
        '[other]      server/api-http   items-get    0.01rps',
      ].join('\n'),
    );
  });

  it('shows audited traffic as unauthorized, and connection-level rows as [tcp]', () => {
    expect(renderAuthz(CACHE)).toBe(
      [
        'ROUTE     SERVER               AUTHORIZATION                       UNAUTHORIZED   SUCCESS       RPS   LATENCY_P50   LATENCY_P95   LATENCY_P99',
        'default   default:audit        audit                                    0.20rps   100.00%   0.20rps        2.50ms        2.95ms        2.99ms',
        '[tcp]     server/cache-redis   authorizationpolicy/cache-clients        0.00rps         -   0.40rps             -             -             -',
        '[tcp]     server/cache-redis   [denied]                                 0.05rps         -         -             -             -             -',
        '',
        'DENIED BY CLIENT',
        'CLIENT ID    SERVER               ROUTE       RPS',
        'batch.jobs   server/cache-redis   [tcp]   0.05rps',
      ].join('\n'),
    );
  });

  it('says so when the resource has no authorization traffic', () => {
    expect(renderAuthz({ resource: { kind: 'deployment', namespace: 'shop', name: 'web' }, window: '5m', rows: [], denials: [] })).toBe(
      'no authorization traffic of deployment shop/web in the last 5m',
    );
  });

  describe('against an API', () => {
    let api: ApiStandIn;
    beforeAll(async () => {
      api = await startApiStandIn((url) =>
        url.includes('window=10s') ? { status: 400, body: { error: { code: 'API_BAD_REQUEST', message: 'invalid query parameter "window": must be between 30s and 24h', param: 'window', requestId: 'r' } } } : { body: API },
      );
    });
    afterAll(() => api.close());
    const run = (...argv: string[]) => captureStdout(() => runAuthz(['--api', api.url, ...argv], ENV));

    it('asks /api/v1/authz for the resource and prints both tables', async () => {
      const { code, out } = await run('deploy/api', '-n', 'shop');
      expect(code).toBe(0);
      expect(api.asked.at(-1)).toBe('/api/v1/authz?kind=deployment&namespace=shop&name=api&window=1m');
      expect(out).toBe(`${renderAuthz(API)}\n`);
    });

    it('prints the API JSON with -o json', async () => {
      const { code, out } = await run('po/api-0', '-n', 'shop', '-w', '5m', '-o', 'json');
      expect(code).toBe(0);
      expect(api.asked.at(-1)).toBe('/api/v1/authz?kind=pod&namespace=shop&name=api-0&window=5m');
      expect(JSON.parse(out)).toEqual(API);
    });

    it('passes on the API error message', async () => {
      await expect(run('deploy/api', '-n', 'shop', '-w', '10s')).rejects.toThrow('invalid query parameter "window": must be between 30s and 24h');
    });

    it('prints its help, which says -n is required', async () => {
      const { code, out } = await run('--help');
      expect(code).toBe(0);
      expect(out).toMatch(/^Usage: meshviz authz <resource> -n <namespace>/);
      expect(out).toMatch(/-n, --namespace <ns>\s+namespace of the resource \(required\)/);
    });
  });
});
