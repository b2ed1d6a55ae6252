import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { StatsResponse } from '@meshviz/mesh-types';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseEnv } from '../config.js';
import { RolloutEvent, RolloutStatus } from '../rollout/status.js';
import { runRolloutCommand } from './rollout.js';
import { UsageError } from './usage-error.js';

const ENV = parseEnv({});

const route = (stable: number, canary: number) => `# reviews: v2 is the canary.
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: reviews-split, namespace: bookshop }
spec:
  parentRefs:
    - { group: "", kind: Service, name: reviews }
  rules:
    - backendRefs:
        - name: reviews     # stable
          port: 8080
          weight: ${stable}
        - name: reviews-v2  # canary
          port: 8080
          weight: ${canary}
---
apiVersion: policy.meshviz.io/v1
kind: Server
metadata: { name: reviews-http, namespace: bookshop }
spec:
  podSelector: { matchLabels: { app: reviews } }
  port: http
`;

/** The canary's figures the stand-in API answers with, as the stats endpoint words a deployment row. */
interface Figures {
  rps: number | null;
  successRate: number | null;
  p99: number | null;
}
const HEALTHY: Figures = { rps: 4, successRate: 1, p99: 9.5 };

describe('meshviz rollout', () => {
  let server: http.Server;
  let api = '';
  let canary: Figures = HEALTHY;
  const asked: string[] = [];
  let dir = '';
  let routeFile = '';
  const statusFile = () => path.join(dir, '.rollout-reviews-split.json');

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      asked.push(req.url ?? '');
      const row = (name: string, f: Figures) => ({
        kind: 'deployment',
        namespace: 'bookshop',
        name,
        meshedPods: 1,
        rps: f.rps,
        successRate: f.successRate,
        latencyMs: { p50: f.p99 === null ? null : f.p99 / 4, p95: f.p99 === null ? null : f.p99 / 2, p99: f.p99 },
      });
      // The answer is checked against the API's own response schema, so the test cannot drift from the contract.
      const body = StatsResponse.parse({ window: '30s', rows: [row('reviews', HEALTHY), row('reviews-v2', canary), row('ratings-v2', HEALTHY)] });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  beforeEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = await mkdtemp(path.join(os.tmpdir(), 'meshviz-rollout-'));
    routeFile = path.join(dir, 'reviews.yaml');
    await writeFile(routeFile, route(100, 0));
    canary = HEALTHY;
    asked.length = 0;
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function run(argv: string[], signal?: AbortSignal) {
    let out = '';
    let err = '';
    const code = await runRolloutCommand(argv, ENV, {
      signal,
      stdout: (t) => {
        out += t;
      },
      stderr: (t) => {
        err += t;
      },
    });
    return { code, out, err };
  }
  const start = (...extra: string[]) => [
    'start',
    'svc/reviews',
    '-n',
    'bookshop',
    '--route',
    'reviews-split',
    '--stable',
    'reviews',
    '--canary',
    'reviews-v2',
    '--config-dir',
    dir,
    '--api',
    api,
    '--interval',
    '50ms',
    ...extra,
  ];
  const readStatus = async () => RolloutStatus.parse(JSON.parse(await readFile(statusFile(), 'utf8')));

  it('promotes a healthy canary through every step to 100%', async () => {
    const { code, out, err } = await run(start());
    expect(err).toBe('');
    expect(code).toBe(0);
    // Only the two numbers changed: the comments and the other document are as they were.
    expect(await readFile(routeFile, 'utf8')).toBe(route(0, 100));
    const status = await readStatus();
    expect(status.phase).toBe('promoted');
    expect(status.weights).toEqual({ stable: 0, canary: 100 });
    expect(status.route).toEqual({ namespace: 'bookshop', name: 'reviews-split', file: 'reviews.yaml' });
    expect(status.events.map((e) => [e.verdict, e.step, e.weights.canary, e.written])).toEqual([
      ['start', null, 0, false],
      ['advance', 1, 5, true],
      ['advance', 2, 10, true],
      ['advance', 3, 25, true],
      ['advance', 4, 50, true],
      ['promoted', 5, 100, true],
    ]);
    expect(status.events.slice(2).every((e) => e.measured?.successRate === 1 && e.measured.p99Ms === 9.5 && e.measured.rps === 4)).toBe(true);
    // One look before starting, then one judgement before each step after the first.
    expect(asked).toHaveLength(5);
    expect(new Set(asked)).toEqual(new Set(['/api/v1/stats?kind=deployment&namespace=bookshop&window=30s']));
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toContain('rollout of HTTPRoute bookshop/reviews-split');
    expect(lines[1]).toMatch(/^TIME\s+STEP\s+WEIGHTS\s+SUCCESS\s+P99\s+RPS\s+VERDICT\s+REASON$/);
    expect(lines[4]).toMatch(/^\S+Z\s+2\/5\s+90\/10\s+100\.00%\s+9\.50ms\s+4\.00rps\s+advance\s+within bounds/);
    expect(lines.at(-1)).toBe('reviews-v2 takes all the traffic of HTTPRoute bookshop/reviews-split: promoted');
    // Written atomically: no temporary file is left behind.
    expect((await readdir(dir)).sort()).toEqual(['.rollout-reviews-split.json', 'reviews.yaml']);
  });

  it('rolls back at once when the success rate falls below its bound, naming it and its value', async () => {
    await writeFile(routeFile, route(90, 10));
    canary = { rps: 2, successRate: 0.5, p99: 9.5 };
    const { code, err } = await run(start());
    expect(code).toBe(1);
    expect(err).toBe('meshviz rollout: rolled back HTTPRoute bookshop/reviews-split to 0% reviews-v2: success rate 50.00% is below the minimum 99.00%\n');
    expect(await readFile(routeFile, 'utf8')).toBe(route(100, 0));
    const status = await readStatus();
    expect(status.phase).toBe('rolled-back');
    expect(status.events.map((e) => e.verdict)).toEqual(['start', 'rolled-back']);
    expect(status.events[1]?.failures).toEqual([{ metric: 'success-rate', value: 0.5, message: 'success rate 50.00% is below the minimum 99.00%' }]);
  });

  it('rolls back when the p99 rises above its bound', async () => {
    await writeFile(routeFile, route(90, 10));
    canary = { rps: 2, successRate: 1, p99: 812 };
    const { code, err } = await run(start('--max-p99', '250ms', '-o', 'json'));
    expect(code).toBe(1);
    expect(err).toContain('p99 812.0ms is above the maximum 250.0ms');
    expect(await readFile(routeFile, 'utf8')).toBe(route(100, 0));
  });

  it('rolls back a canary that stops answering, and one that never had traffic to judge', async () => {
    await writeFile(routeFile, route(90, 10));
    canary = { rps: null, successRate: null, p99: null };
    const { code, err } = await run(start());
    expect(code).toBe(1);
    expect(err).toContain('the canary answered no request in the window');
    expect(await readFile(routeFile, 'utf8')).toBe(route(100, 0));
  });

  it('runs two rollouts of routes in the same file side by side without losing either one\'s writes', async () => {
    const ratings = (stable: number, canary: number) =>
      route(stable, canary).split('---')[0]!.replaceAll('reviews', 'ratings').replace('# ratings: v2', '# ratings: v2 too');
    await writeFile(routeFile, `${route(100, 0)}---\n${ratings(100, 0)}`);
    const other = start('--interval', '20ms').map((a) => a.replace('reviews', 'ratings'));
    const [a, b] = await Promise.all([run(start('--interval', '20ms')), run(other)]);
    expect([a.code, b.code, a.err, b.err]).toEqual([0, 0, '', '']);
    expect(await readFile(routeFile, 'utf8')).toBe(`${route(0, 100)}---\n${ratings(0, 100)}`);
    expect((await readdir(dir)).sort()).toEqual(['.rollout-ratings-split.json', '.rollout-reviews-split.json', 'reviews.yaml']);
  });

  it('prints one JSON object per decision with -o json, as the status file records them', async () => {
    await writeFile(routeFile, route(50, 50));
    const { code, out } = await run(start('-o', 'json', '--steps', '25,50,75,100'));
    expect(code).toBe(0);
    const events = out.trimEnd().split('\n').map((l) => RolloutEvent.parse(JSON.parse(l)));
    expect(events.map((e) => [e.verdict, e.step, e.weights])).toEqual([
      ['start', null, { stable: 50, canary: 50 }],
      ['advance', 3, { stable: 25, canary: 75 }],
      ['promoted', 4, { stable: 0, canary: 100 }],
    ]);
    expect((await readStatus()).events).toEqual(events);
  });

  it('stops on Ctrl-C, leaving the weights it last wrote, and says so', async () => {
    const controller = new AbortController();
    const running = run(start('--interval', '1m'), controller.signal);
    const deadline = Date.now() + 5_000;
    while (!(await readFile(routeFile, 'utf8')).includes('weight: 5\n') && Date.now() < deadline) await sleep(10);
    controller.abort();
    const { code, err } = await running;
    expect(code).toBe(130);
    expect(err).toMatch(/stopped by Ctrl-C; HTTPRoute bookshop\/reviews-split keeps 95\/5 \(reviews\/reviews-v2\)/);
    expect(await readFile(routeFile, 'utf8')).toBe(route(95, 5));
    const status = await readStatus();
    expect(status.phase).toBe('stopped');
    expect(status.events.map((e) => e.verdict)).toEqual(['start', 'advance', 'stopped']);
  });

  it('stops on Ctrl-C before its first look at the API without writing anything', async () => {
    const { code, err } = await run(start(), AbortSignal.abort());
    expect(code).toBe(130);
    expect(err).toBe('meshviz rollout: stopped by Ctrl-C before anything was written\n');
    expect(await readdir(dir)).toEqual(['reviews.yaml']);
  });

  it('is stopped by meshviz rollout abort, which rolls back; status shows the record', async () => {
    const running = run(start('--interval', '300ms'));
    // Abort once the first step is recorded (its weights are written just before its record: on a busy machine an
    // abort between the two would find no step recorded yet).
    const deadline = Date.now() + 5_000;
    const advanced = async () =>
      (await readFile(statusFile(), 'utf8').catch(() => '')).includes('"advance"') &&
      (await readFile(routeFile, 'utf8')).includes('weight: 5\n');
    while (!(await advanced()) && Date.now() < deadline) await sleep(10);
    const aborted = await run(['abort', '--route', 'reviews-split', '--config-dir', dir]);
    expect(aborted.code).toBe(0);
    expect(aborted.out).toBe(`HTTPRoute bookshop/reviews-split (${routeFile}): reviews 100, reviews-v2 0\n`);
    const { code, err } = await running;
    expect(code).toBe(1);
    expect(err).toMatch(/^meshviz rollout: aborted by meshviz rollout abort at \S+; HTTPRoute bookshop\/reviews-split is at 100\/0/);
    expect(await readFile(routeFile, 'utf8')).toBe(route(100, 0));
    const status = await readStatus();
    expect(status.phase).toBe('aborted');
    expect(status.events.map((e) => e.verdict)).toEqual(['start', 'advance', 'aborted']);

    const shown = await run(['status', '--route', 'reviews-split', '--config-dir', dir]);
    expect(shown.code).toBe(0);
    const lines = shown.out.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'HTTPRoute bookshop/reviews-split (reviews.yaml) on Service reviews: reviews → reviews-v2',
      'phase: aborted',
      'weights: 100/0 (reviews/reviews-v2)',
    ]);
    expect(lines[4]).toBe('plan: steps 5,10,25,50,100 every 300ms; success ≥ 99.00%, p99 ≤ 500.0ms over 30s (deployment bookshop/reviews-v2)');
    expect(lines.at(-2)).toMatch(/^\S+Z\s+-\s+100\/0\s+-\s+-\s+-\s+aborted\s+meshviz rollout abort set reviews-v2 to 0%$/);
    const json = await run(['status', '--route', 'reviews-split', '--config-dir', dir, '-o', 'json']);
    expect(RolloutStatus.parse(JSON.parse(json.out))).toEqual(status);
  });

  it('aborts a route with no recorded rollout when told its backends', async () => {
    await writeFile(routeFile, route(40, 60));
    const abort = ['abort', '--route', 'reviews-split', '--config-dir', dir];
    await expect(run(abort)).rejects.toThrow('no rollout of reviews-split is recorded in');
    await expect(run(abort)).rejects.toThrow('meshviz rollout abort needs -n <ns>, svc/<service>, --stable <svc>, --canary <svc>');
    const { code } = await run([...abort, 'svc/reviews', '-n', 'bookshop', '--stable', 'reviews', '--canary', 'reviews-v2']);
    expect(code).toBe(0);
    expect(await readFile(routeFile, 'utf8')).toBe(route(100, 0));
    expect((await readStatus()).phase).toBe('aborted');
  });

  it.each([
    ['the route', ['--route', 'ratings-split'], /^no HTTPRoute bookshop\/ratings-split in \S+; the HTTPRoutes there: bookshop\/reviews-split \(reviews\.yaml\)$/],
    ['the stable backend', ['--stable', 'reviews-v1'], /reviews\.yaml: HTTPRoute bookshop\/reviews-split: spec\.rules\[\]\.backendRefs: no backendRef names Service reviews-v1 \(the backends: reviews, reviews-v2\)$/],
    ['the canary backend', ['--canary', 'reviews-v3'], /reviews\.yaml: HTTPRoute bookshop\/reviews-split: spec\.rules\[\]\.backendRefs: no backendRef names Service reviews-v3/],
    ['the parent Service', ['--canary', 'reviews-v2', 'svc/ratings'], /spec\.parentRefs: the route is not attached to Service ratings \(its parents: Service reviews\)$/],
  ])('refuses when %s is not found, naming the file and field, and writes nothing', async (_what, override, message) => {
    const argv = start();
    for (let i = 0; i < override.length; i++) {
      const flag = override[i] ?? '';
      if (flag.startsWith('svc/')) argv[1] = flag;
      else argv[argv.indexOf(flag) + 1] = override[++i] ?? '';
    }
    await expect(run(argv)).rejects.toThrow(message);
    expect(await readFile(routeFile, 'utf8')).toBe(route(100, 0));
    expect(await readdir(dir)).toEqual(['reviews.yaml']);
    expect(asked).toEqual([]);
  });

  it('refuses to start while another process runs a rollout recorded in the same status file', async () => {
    const time = new Date().toISOString();
    // The parent of this test process is alive on this host: it stands for the other rollout's process.
    const running: RolloutStatus = {
      version: 1,
      route: { namespace: 'staging', name: 'reviews-split', file: 'staging.yaml' },
      service: 'reviews',
      stable: 'reviews',
      canary: 'reviews-v2',
      phase: 'running',
      pid: process.ppid,
      host: os.hostname(),
      startedAt: time,
      updatedAt: time,
      weights: { stable: 95, canary: 5 },
      events: [],
    };
    await writeFile(statusFile(), JSON.stringify(running));
    await expect(run(start())).rejects.toThrow(`a rollout of HTTPRoute staging/reviews-split is already running (pid ${process.ppid}`);
    await expect(run(['abort', '--route', 'reviews-split', '-n', 'bookshop', '--config-dir', dir])).rejects.toThrow(
      'records a running rollout of HTTPRoute staging/reviews-split',
    );
    expect(await readFile(routeFile, 'utf8')).toBe(route(100, 0));
    await writeFile(statusFile(), JSON.stringify({ ...running, phase: 'stopped' }));
    expect((await run(start('--steps', '100'))).code).toBe(0);
    expect((await readStatus()).route.namespace).toBe('bookshop');
  });

  it('refuses a status file that is not a rollout record, naming it', async () => {
    await writeFile(statusFile(), '{"version": 1, "route": {}}');
    await expect(run(['status', '--route', 'reviews-split', '--config-dir', dir])).rejects.toThrow(
      `the rollout status file ${statusFile()} is not a meshviz rollout record: route.namespace:`,
    );
  });

  it('refuses to start when the API cannot be reached, before writing anything', async () => {
    const argv = start();
    argv[argv.indexOf('--api') + 1] = 'http://127.0.0.1:1';
    await expect(run(argv)).rejects.toThrow(/cannot reach the meshviz API at http:\/\/127\.0\.0\.1:1/);
    expect(await readdir(dir)).toEqual(['reviews.yaml']);
  });

  it('says when no rollout is recorded', async () => {
    await expect(run(['status', '--route', 'reviews-split', '--config-dir', dir])).rejects.toThrow(
      `no rollout of HTTPRoute reviews-split is recorded in ${dir} (no .rollout-reviews-split.json)`,
    );
  });

  it.each([
    [['start', '--config-dir', '.'], /needs --route <HTTPRoute name>/],
    [['start', '--route', 'r', '--config-dir', '.'], /needs the Service the route is attached to, e.g. svc\/reviews/],
    [['start', 'reviews', '--route', 'r', '--config-dir', '.'], /"reviews": name the Service the route is attached to as svc\/<name>/],
    [['start', 'svc/reviews', '--route', 'r', '--config-dir', '.'], /needs -n\/--namespace <ns>/],
    [['start', 'svc/reviews', '-n', 'b', '--route', 'r', '--canary', 'c', '--config-dir', '.'], /needs --stable <backend Service>/],
    [['start', 'svc/reviews', '-n', 'b', '--route', 'r', '--stable', 's', '--config-dir', '.'], /needs --canary <backend Service>/],
    [['start', 'svc/reviews', '-n', 'b', '--route', 'r', '--stable', 's', '--canary', 's', '--config-dir', '.'], /--stable and --canary are both "s"/],
    [['start', 'svc/reviews', '-n', 'b', '--route', 'r', '--stable', 's', '--canary', 'c'], /needs the mesh's config directory: --config-dir <dir>, -f <mesh.yaml>/],
    [['start', 'svc/reviews', '-n', 'b', '--route', 'r', '--stable', 's', '--canary', 'c', '--demo', '--config-dir', '.'], /--config-dir and --demo cannot be combined/],
    [['start', 'svc/reviews', '-n', 'b', '--route', 'r', '--stable', 's', '--canary', 'c', '--config-dir', '.', '--steps', '5,50'], /--steps "5,50": the last step must be 100/],
    [['start', 'svc/reviews', '-n', 'b', '--route', 'r', '--stable', 's', '--canary', 'c', '--config-dir', '.', '--interval', '30'], /--interval "30": must be a duration/],
    [['start', 'svc/reviews', '-n', 'b', '--route', 'r', '--stable', 's', '--canary', 'c', '--config-dir', '.', '--min-success', '99'], /--min-success "99": must be at most 1/],
    [['start', 'svc/reviews', '-n', 'b', '--route', 'r', '--stable', 's', '--canary', 'c', '--config-dir', '.', '--max-p99', 'fast'], /--max-p99 "fast": must be a duration/],
    [['start', 'svc/reviews', '-n', 'b', '--route', 'r', '--stable', 's', '--canary', 'c', '--config-dir', '.', '-w', '10s'], /--window "10s": must be between 30s and 24h/],
    [['start', 'svc/reviews', '-n', 'b', '--route', 'r', '--stable', 's', '--canary', 'c', '--config-dir', '.', '--measure', 'pod'], /--measure "pod": must be deploy/],
    [['start', 'svc/reviews', '-n', 'B', '--route', 'r', '--stable', 's', '--canary', 'c', '--config-dir', '.'], /-n\/--namespace "B" is not a name/],
    [['start', 'svc/reviews', '-n', 'b', '--route', '../x', '--stable', 's', '--canary', 'c', '--config-dir', '.'], /--route "..\/x" is not a name/],
    [['status', '--route', 'r', '--config-dir', '.', '--steps', '5,100'], /--steps is an option of meshviz rollout start, not of status/],
    [['status', '--route', 'r', '--config-dir', '.', '-n', 'b'], /reads the route's status file; -n is not needed/],
    [['promote'], /unknown rollout command "promote"/],
    [['start', '--route', 'r', '-o', 'yaml', '--config-dir', '.'], /-o\/--output must be "table" or "json"/],
  ])('refuses %j, naming the argument', async (argv, message) => {
    const attempt = run(argv as string[]);
    await expect(attempt).rejects.toThrow(UsageError);
    await expect(attempt).rejects.toThrow(message);
  });

  it('takes the config directory from a mesh file', async () => {
    const meshFile = path.join(dir, 'mesh.yaml');
    await writeFile(meshFile, 'namespaces:\n  - name: bookshop\n    workloads:\n      - name: reviews\n        routes: [{ path: /r }]\npolicy:\n  dir: routes\n');
    await expect(run(['status', '--route', 'reviews-split', '-f', meshFile])).rejects.toThrow(`recorded in ${path.join(dir, 'routes')}`);
  });

  it('prints its help', async () => {
    const { code, out } = await run(['start', '--help']);
    expect(code).toBe(0);
    expect(out).toMatch(/^Usage: meshviz rollout start svc\/<service> -n <ns> --route <name> --stable <svc> --canary <svc>/);
    expect((await run([])).code).toBe(2);
  });
});
