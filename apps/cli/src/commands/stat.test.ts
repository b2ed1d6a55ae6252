import type { StatsResponse } from '@meshviz/mesh-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../config.js';
import { type ApiStandIn, captureStdout, startApiStandIn } from '../testing/api-stand-in.js';
import { fmtBytesPerSec, parseStatArgs, renderStat, runStat } from './stat.js';
import { UsageError } from './usage-error.js';

/** The CLI's environment with no variable set: the tests name the API with --api. */
const ENV = parseEnv({});
const params = (...argv: string[]) => parseStatArgs(['--api', 'http://x', ...argv], ENV).params;

describe('meshviz stat arguments', () => {
  it.each([
    [[], { kind: 'deployment', namespace: 'all', window: '1m' }],
    [['svc', '-n', 'billing'], { kind: 'service', namespace: 'billing', window: '1m' }],
    [['service', '--tcp'], { kind: 'service', namespace: 'all', window: '1m', tcp: 'true' }],
    [['po', '-n', 'bookshop', '--to', 'svc/payments', '--to-namespace', 'billing'], { kind: 'pod', namespace: 'bookshop', window: '1m', to_kind: 'service', to_name: 'payments', to_namespace: 'billing' }],
    // The --to resource lives in -n's namespace unless --to-namespace says otherwise (as in linkerd viz stat).
    [['deploy', '-n', 'bookshop', '--to=deploy/catalog'], { kind: 'deployment', namespace: 'bookshop', window: '1m', to_kind: 'deployment', to_name: 'catalog', to_namespace: 'bookshop' }],
    [['deploy', '--to', 'ns/billing', '-n', 'bookshop'], { kind: 'deployment', namespace: 'bookshop', window: '1m', to_kind: 'namespace', to_name: 'billing' }],
    [['deploy', '--to', 'svc'], { kind: 'deployment', namespace: 'all', window: '1m', to_kind: 'service' }],
    [['deploy', '-n', 'bookshop', '--from', 'deploy/loadgen', '--from-namespace', 'traffic', '-w', '5m'], { kind: 'deployment', namespace: 'bookshop', window: '5m', from_kind: 'deployment', from_name: 'loadgen', from_namespace: 'traffic' }],
    [['svc', '-A', '--from', 'sts/db'], { kind: 'service', namespace: 'all', window: '1m', from_kind: 'statefulset', from_name: 'db' }],
  ])('meshviz stat %j', (argv, expected) => {
    expect(Object.fromEntries(Object.entries(params(...argv)).filter(([, v]) => v !== undefined))).toEqual(expected);
  });

  it.each([
    [['widget'], /\[kind\] "widget"/],
    [['deploy', 'pod'], /takes one kind/],
    [['--to', 'svc/a', '--from', 'deploy/b'], /--to and --from cannot be combined/],
    [['--to-namespace', 'billing'], /--to-namespace needs --to/],
    [['--from-namespace', 'billing'], /--from-namespace needs --from/],
    [['--to', 'sts/db'], /--to "sts\/db": the kind must be deploy, po, svc or ns/],
    [['--from', 'svc/web'], /--from "svc\/web": the kind must be a workload kind/],
    [['--to', 'svc/Web'], /"Web" is not a service name/],
    [['--to', 'deploy/web', '--to-namespace', 'Bad_NS'], /--to-namespace "Bad_NS"/],
    [['svc', '--to', 'deploy/web'], /services send no traffic/],
    [['sts', '--from', 'deploy/web'], /--from: the kind must then be deploy, po, svc or ns/],
    [['--to'], /--to needs a value/],
    [['--tcp=yes'], /--tcp takes no value/],
  ])('refuses %j, naming the argument', (argv, message) => {
    expect(() => params(...argv)).toThrow(UsageError);
    expect(() => params(...argv)).toThrow(message);
  });

  it('formats bytes per second', () => {
    expect([fmtBytesPerSec(null), fmtBytesPerSec(543.52), fmtBytesPerSec(4806.2), fmtBytesPerSec(2_500_000)]).toEqual(['-', '543.5B/s', '4.8KB/s', '2.5MB/s']);
  });
});

const STATS: StatsResponse = {
  window: '1m',
  rows: [
    {
      kind: 'service',
      namespace: 'billing',
      name: 'payments',
      meshedPods: 2,
      rps: 5.0001269490732545,
      successRate: 0.9490910115131291,
      latencyMs: { p50: 35.95224180147606, p95: 456.2479203978281, p99: 1312.5012954898707 },
      tcp: { openConnections: 4, readBytesPerSec: 1213.8489927549767, writeBytesPerSec: 552.014073494918 },
    },
    {
      kind: 'service',
      namespace: 'bookshop',
      name: 'reviews',
      meshedPods: 1,
      rps: null,
      successRate: null,
      latencyMs: { p50: null, p95: null, p99: null },
      tcp: { openConnections: 0, readBytesPerSec: null, writeBytesPerSec: null },
    },
  ],
};

describe('meshviz stat output', () => {
  it('renders a table, with the TCP columns on --tcp', () => {
    const args = parseStatArgs(['--api', 'http://x', 'svc', '--tcp'], ENV);
    expect(renderStat(STATS, args)).toBe(
      [
        'NAMESPACE   SERVICE    MESHED      SUCCESS       RPS      P50       P95     P99   TCP_CONN   READ_BYTES/SEC   WRITE_BYTES/SEC',
        'billing     payments        2       94.91%   5.00rps   36.0ms   456.2ms   1.31s          4          1.2KB/s          552.0B/s',
        'bookshop    reviews         1   no traffic         -        -         -       -          0                -                 -',
      ].join('\n'),
    );
    const plain = renderStat(STATS, parseStatArgs(['--api', 'http://x', 'svc'], ENV));
    expect(plain.split('\n')[0]).toBe('NAMESPACE   SERVICE    MESHED      SUCCESS       RPS      P50       P95     P99');
    expect(renderStat({ window: '1m', rows: [] }, parseStatArgs(['--api', 'http://x', 'po', '-n', 'shop'], ENV))).toBe('no pod resources found in shop');
  });

  it('adds a RESTARTS column when the runtime counts restarts, with - for rows it does not count', () => {
    const [a, b] = STATS.rows;
    const rows = [
      { ...a!, kind: 'pod' as const, name: 'payments-0', restarts: 3 },
      { ...b!, kind: 'pod' as const, name: 'reviews-0' },
    ];
    const lines = renderStat({ window: '1m', rows }, parseStatArgs(['--api', 'http://x', 'po'], ENV)).split('\n');
    expect(lines[0]).toMatch(/P99\s+RESTARTS$/);
    expect(lines[1]).toMatch(/^billing\s+payments-0\s.*\s3$/);
    expect(lines[2]).toMatch(/^bookshop\s+reviews-0\s.*\s-$/);
  });

  describe('against an API', () => {
    let api: ApiStandIn;
    beforeAll(async () => {
      api = await startApiStandIn((url) =>
        url.includes('to_name=nope') ? { status: 400, body: { error: { code: 'API_BAD_REQUEST', message: 'invalid query parameter "to_name": nope', param: 'to_name', requestId: 'r' } } } : { body: STATS },
      );
    });
    afterAll(() => api.close());
    const run = (...argv: string[]) => captureStdout(() => runStat(['--api', api.url, ...argv], ENV));

    it('asks /api/v1/stats with the to/from/tcp parameters and prints the table', async () => {
      const { code, out } = await run('deploy', '-n', 'bookshop', '--to', 'svc/payments', '--to-namespace', 'billing', '--tcp');
      expect(code).toBe(0);
      expect(api.asked.at(-1)).toBe('/api/v1/stats?kind=deployment&namespace=bookshop&window=1m&to_kind=service&to_name=payments&to_namespace=billing&tcp=true');
      expect(out).toMatch(/^NAMESPACE\s+DEPLOYMENT\s+MESHED\s+SUCCESS\s+RPS\s+P50\s+P95\s+P99\s+TCP_CONN\s+READ_BYTES\/SEC\s+WRITE_BYTES\/SEC$/m);
    });

    it('prints the API JSON with -o json', async () => {
      const { code, out } = await run('svc', '--from', 'deploy/web', '-n', 'bookshop', '-o', 'json');
      expect(code).toBe(0);
      expect(api.asked.at(-1)).toBe('/api/v1/stats?kind=service&namespace=bookshop&window=1m&from_kind=deployment&from_name=web&from_namespace=bookshop');
      expect(JSON.parse(out)).toEqual(STATS);
    });

    it('passes on the API error message', async () => {
      await expect(run('--to', 'deploy/nope')).rejects.toThrow('invalid query parameter "to_name": nope');
    });
  });
});
