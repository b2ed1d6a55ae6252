import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AuthzResponse, LATENCY_BUCKETS_MS, RoutesResponse, StatsResponse, TopologyResponse, WorkloadDetailResponse } from '@meshviz/mesh-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childEnv } from '../config.js';
import { type SpawnedMesh, spawnUp } from '../testing/spawn-up.js';

const MAIN = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'main.js');

interface CountsTruth {
  total: number;
  targets: { statuses: Record<string, number> }[];
}

interface Counts {
  total: number;
  failures: number;
  latencyMs: { p50: number | null; p95: number | null; p99: number | null };
}

/** The histogram bucket (lower, upper] that holds a value: a quantile from the histogram can only be that precise. */
/** What the load generator's own clock holds beyond what its proxy measures: the loopback hop and its parsing. */
const CLIENT_SIDE_MS = 1;

function bucketOf(v: number): [number, number] {
  const upper = LATENCY_BUCKETS_MS.find((b) => v <= b) ?? Number.POSITIVE_INFINITY;
  const i = LATENCY_BUCKETS_MS.indexOf(upper);
  return [i > 0 ? (LATENCY_BUCKETS_MS[i - 1] ?? 0) : 0, upper];
}

/** The pid of a demo service replica started by the `meshviz up` of pid `upPid`, from the processes' environments. */
function demoPid(upPid: number, pod: string): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const environ = (() => {
      try {
        return readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      } catch {
        return [];
      }
    })();
    if (environ.includes(`DEMO_SERVICE_POD=${pod}`) && environ.includes(`DEMO_PARENT_PID=${upPid}`)) return Number(entry);
  }
  return null;
}

/** The whole local runtime, for real: Prometheus, proxies, demo services, load generator, API and web. */
describe('meshviz up --demo (integration)', () => {
  let mesh: SpawnedMesh;
  beforeAll(async () => {
    mesh = await spawnUp(['--demo', '--scrape-interval', '1s', '--rate', '40']);
  }, 150_000);
  afterAll(async () => {
    await mesh?.stop();
  });

  it('reports each step and serves the API through the dashboard origin', async () => {
    expect(mesh.output()).toMatch(/prometheus .* on http/);
    expect(mesh.output()).toMatch(/first scrape seen: (\d+)\/\1 proxies and the control plane up/);
    expect(mesh.output()).toMatch(/made a new trust anchor and issuer in .*identity/);
    const res = await fetch(`${mesh.dashboardUrl}/api/v1/stats?window=1m`);
    expect(res.status).toBe(200);
    StatsResponse.parse(await res.json());
  });

  it('shows golden metrics that match the load generator own counts', async () => {
    // Let 30 s of steady load land in Prometheus: the window below must hold only steady traffic.
    await new Promise((r) => setTimeout(r, 33_000));
    const now = Math.floor(Date.now() / 1000);
    // Ask about the window only once both sides are final for it: the scrapes up to `now` ingested (three 1 s
    // intervals, enough for a late scrape on a busy machine) and the load generator's requests completed.
    await new Promise((r) => setTimeout(r, 3_000));
    const [stats, topology, truth] = await Promise.all([
      fetch(`${mesh.apiUrl}/api/v1/stats?kind=deployment&namespace=bookshop&window=30s&at=${now}`).then(async (r) =>
        StatsResponse.parse(await r.json()),
      ),
      fetch(`${mesh.apiUrl}/api/v1/topology?namespace=traffic&window=30s&at=${now}`).then(async (r) =>
        TopologyResponse.parse(await r.json()),
      ),
      fetch(`${mesh.loadgenUrl}/counts?from=${now - 30}&to=${now}`).then((r) => r.json() as Promise<Counts>),
    ]);
    const web = stats.rows.find((r) => r.name === 'web');
    expect(web).toBeDefined();
    const trueRps = truth.total / 30;
    const trueSuccess = 1 - truth.failures / truth.total;
    expect(truth.failures).toBeGreaterThan(0);
    expect(Math.abs((web!.rps ?? 0) - trueRps) / trueRps).toBeLessThan(0.03);
    expect(Math.abs((web!.successRate ?? 0) - trueSuccess)).toBeLessThan(0.005);
    // Quantiles of the caller's view (the load generator's proxy) against the exact quantiles of the load
    // generator's own samples: each must fall in the histogram bucket that holds the true value. The load
    // generator's clock also runs over its loopback hop to its proxy and its own parsing, which the proxy never
    // sees (under a millisecond): the value the proxy saw lies in (true - 1 ms, true], so when that interval
    // crosses a bucket boundary the bucket below is the true one as well.
    const edge = topology.edges.find((e) => e.id === 'deployment/traffic/loadgen->service/bookshop/web');
    for (const q of ['p50', 'p95', 'p99'] as const) {
      const [lo] = bucketOf(Math.max(0, truth.latencyMs[q]! - CLIENT_SIDE_MS));
      const [, hi] = bucketOf(truth.latencyMs[q]!);
      const measured = edge?.latencyMs[q] ?? -1;
      expect(measured, `${q}: true ${truth.latencyMs[q]} in (${lo}, ${hi}]`).toBeGreaterThanOrEqual(lo);
      expect(measured, `${q}: true ${truth.latencyMs[q]} in (${lo}, ${hi}]`).toBeLessThanOrEqual(hi);
    }
    expect(web!.latencyMs.p50).not.toBeNull();
    expect(web!.latencyMs.p50!).toBeLessThanOrEqual(web!.latencyMs.p99!);
    for (const name of ['catalog', 'reviews']) {
      expect(stats.rows.find((r) => r.name === name)?.rps ?? 0).toBeGreaterThan(0);
    }
  }, 60_000);

  it("refuses the scraper by billing's policy, counting exactly what it sent, and lets web through", async () => {
    // Runs after the golden-metrics test: the scraper has been refused for more than 30 s.
    const now = Math.floor(Date.now() / 1000) - 1;
    await new Promise((r) => setTimeout(r, 3_000));
    const id = (sa: string, ns: string) => `${sa}.${ns}.serviceaccount.identity.meshviz.cluster.local`;
    const scraperUrl = mesh.clientUrls['outside/scraper'];
    expect(scraperUrl).toBeDefined();
    const [payments, ledger, topology, truth] = await Promise.all([
      fetch(`${mesh.apiUrl}/api/v1/authz?kind=deployment&namespace=billing&name=payments&window=30s&at=${now}`).then(async (r) =>
        AuthzResponse.parse(await r.json()),
      ),
      fetch(`${mesh.apiUrl}/api/v1/authz?kind=deployment&namespace=billing&name=ledger&window=30s&at=${now}`).then(async (r) =>
        AuthzResponse.parse(await r.json()),
      ),
      fetch(`${mesh.apiUrl}/api/v1/topology?namespace=outside&window=30s&at=${now}`).then(async (r) => TopologyResponse.parse(await r.json())),
      fetch(`${scraperUrl}/counts?from=${now - 30}&to=${now}`).then((r) => r.json() as Promise<CountsTruth>),
    ]);
    // Every call of the scraper was refused by payments' proxies with 403, and nothing else reached it.
    expect(Object.keys(truth.targets[0]!.statuses)).toEqual(['403']);
    const refusedRps = truth.total / 30;
    const denial = payments.denials.find((d) => d.clientId === id('scraper', 'outside'));
    expect(denial, JSON.stringify(payments.denials)).toBeDefined();
    expect(denial!.server).toMatchObject({ kind: 'server', name: 'payments-http' });
    expect(Math.abs(denial!.deniedRps - refusedRps) / refusedRps).toBeLessThan(0.05);
    const allowed = payments.rows.find((r) => r.authorization?.name === 'payments-from-web');
    expect(allowed?.allowedRps ?? 0).toBeGreaterThan(0);
    expect(payments.denials.filter((d) => d.clientId !== id('scraper', 'outside'))).toEqual([]);
    // Ledger lets payments in and refuses nobody.
    expect(ledger.rows.find((r) => r.authorization?.name === 'ledger-from-payments')?.allowedRps ?? 0).toBeGreaterThan(0);
    expect(ledger.denials).toEqual([]);
    // The topology marks the refused edge.
    const edge = topology.edges.find((e) => e.id === 'deployment/outside/scraper->service/billing/payments');
    expect(edge?.clientId).toBe(id('scraper', 'outside'));
    expect(Math.abs((edge?.deniedRps ?? 0) - refusedRps) / refusedRps).toBeLessThan(0.05);
  }, 30_000);

  it('answers meshviz stat, edges, routes and check from the running mesh, as tables and JSON', async () => {
    const cli = (...args: string[]) =>
      new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const child = spawn(process.execPath, [MAIN, ...args, '--api', mesh.dashboardUrl], { stdio: 'pipe' });
        let out = '';
        let err = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
        });
        child.stderr.on('data', (c: Buffer) => {
          err += c.toString();
        });
        child.once('exit', (code) => resolve({ code, out, err }));
      });
    const stat = await cli('stat', '-n', 'bookshop');
    expect(stat.code).toBe(0);
    expect(stat.out).toMatch(/^NAMESPACE\s+DEPLOYMENT\s+MESHED\s+SUCCESS\s+RPS\s+P50\s+P95\s+P99\s+RESTARTS$/m);
    expect(stat.out).toMatch(/^bookshop\s+web\s+2\s+\d+\.\d\d%/m);
    const json = StatsResponse.parse(JSON.parse((await cli('stat', '-o', 'json')).out));
    expect(json.rows.map((r) => r.name)).toContain('payments');
    const edges = await cli('edges', '-n', 'bookshop');
    expect(edges.code).toBe(0);
    expect(edges.out).toMatch(/^SRC\s+DST\s+SUCCESS\s+RPS\s+DENIED\s+P99\s+SECURED\s+CLIENT ID\s+SERVER ID\s+WHY NOT$/m);
    const outside = await cli('edges', '-n', 'outside');
    expect(outside.out).toMatch(/^deploy\/outside\/scraper\s+svc\/billing\/payments\s+\d+\.\d\d%\s+\d\.\d\drps\s+\d\.\d\drps\s/m);
    const authz = await cli('authz', 'deploy/payments', '-n', 'billing');
    expect(authz.code).toBe(0);
    expect(authz.out).toMatch(/^default\s+server\/payments-http\s+authorizationpolicy\/payments-from-web\s+0\.00rps\s+\d+\.\d\d%/m);
    expect(authz.out).toMatch(/^scraper\.outside\s+server\/payments-http\s+default\s+\d\.\d\drps$/m);
    expect(edges.out).toMatch(/deploy\/bookshop\/web\s+svc\/bookshop\/catalog\s.*√\s+web\.bookshop\s+catalog\.bookshop\s*$/m);
    const routes = await cli('routes', 'svc/web', '-n', 'bookshop');
    expect(routes.code).toBe(0);
    expect(routes.out).toMatch(/^ROUTE\s+SUCCESS\s+RPS\s+ACTUAL_SUCCESS\s+ACTUAL_RPS\s+P50\s+P95\s+P99\s+VIEW\s+TIMEOUT\s+RETRY\s+RETRIES\s+TIMEOUTS$/m);
    expect(routes.out).toMatch(/^GET \/books\s+\d+\.\d\d%\s+\d+\.\d+rps\s.*callers\s+none\s+none\s/m);
    const routesJson = RoutesResponse.parse(JSON.parse((await cli('routes', 'web', '-n', 'bookshop', '-o', 'json')).out));
    expect(routesJson.rows.map((r) => r.route)).toEqual(['GET /books', 'POST /checkout']);
    const noNamespace = await cli('routes', 'web');
    expect(noNamespace.code).toBe(2);
    expect(noNamespace.err).toMatch(/-n\/--namespace/);
    const check = await cli('check');
    expect(check.out).toMatch(/√ Prometheus is reachable/);
    expect(check.out).toMatch(/√ Scrape targets are up: \d+ up, 0 down/);
    expect(check.out).toMatch(/√ The trust anchor is valid: .* valid until/);
    expect(check.out).toMatch(/√ The identity service is up: 1 replica up/);
    expect(check.out).toMatch(/√ Every proxy holds a current certificate from the current issuer: 11 proxies/);
    expect(check.code).toBe(0);
    const bad = await cli('stat', '-w', '5s');
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/window/);
  }, 60_000);

  it('secures every edge between meshed workloads with mTLS, naming the identities at both ends', async () => {
    const topo = TopologyResponse.parse(await (await fetch(`${mesh.apiUrl}/api/v1/topology?window=1m`)).json());
    const meshed = topo.edges.filter((e) => !e.source.startsWith('unmeshed/') && e.rps !== null);
    expect(meshed.length).toBeGreaterThanOrEqual(10);
    for (const e of meshed) expect({ id: e.id, secured: e.secured, why: e.insecureReason }).toEqual({ id: e.id, secured: true, why: undefined });
    const id = (sa: string, ns: string) => `${sa}.${ns}.serviceaccount.identity.meshviz.cluster.local`;
    const loadgen = topo.edges.find((e) => e.id === 'deployment/traffic/loadgen->service/bookshop/web');
    expect(loadgen).toMatchObject({ clientId: id('loadgen', 'traffic'), serverId: id('web', 'bookshop') });
    expect(topo.nodes.find((n) => n.id === 'deployment/billing/ledger')?.identity).toBe(id('ledger', 'billing'));
    const detail = WorkloadDetailResponse.parse(await (await fetch(`${mesh.apiUrl}/api/v1/workloads/bookshop/catalog?window=1m`)).json());
    expect((detail.certificates ?? []).map((c) => [c.pod, c.identity])).toEqual([
      ['catalog-0', id('catalog', 'bookshop')],
      ['catalog-1', id('catalog', 'bookshop')],
    ]);
    for (const c of detail.certificates ?? []) expect(Date.parse(c.expiresAt)).toBeGreaterThan(Date.now() + 23 * 3_600_000);
  });

  it('starts a killed replica again while the rest of the mesh keeps serving, and counts its restart', async () => {
    const before = demoPid(mesh.pid, 'catalog-0');
    expect(before, 'the process of bookshop/catalog-0').not.toBeNull();
    const other = demoPid(mesh.pid, 'catalog-1');
    process.kill(before!, 'SIGKILL');
    const deadline = Date.now() + 20_000;
    let after: number | null = null;
    while (Date.now() < deadline) {
      after = demoPid(mesh.pid, 'catalog-0');
      if (after !== null && after !== before) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(mesh.output()).toMatch(/bookshop\/catalog-0\/app exited \(SIGKILL\); starting it again in 1s \(restart 1\)/);
    expect(after).not.toBeNull();
    expect(after).not.toBe(before);
    expect(mesh.child.exitCode).toBeNull();
    expect(demoPid(mesh.pid, 'catalog-1')).toBe(other);
    const pods = StatsResponse.parse(await (await fetch(`${mesh.apiUrl}/api/v1/stats?kind=pod&namespace=bookshop&window=30s`)).json());
    expect(pods.rows.find((r) => r.name === 'catalog-0')?.restarts).toBe(1);
    expect(pods.rows.find((r) => r.name === 'catalog-1')?.restarts).toBe(0);
    // The load generator keeps getting answers through web and the other replica; the restarted one serves again.
    const loadgen = async () => ((await (await fetch(`${mesh.loadgenUrl}/counts`)).json()) as Counts).total;
    const sent = await loadgen();
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await loadgen()).toBeGreaterThan(sent);
    const detail = WorkloadDetailResponse.parse(await (await fetch(`${mesh.apiUrl}/api/v1/workloads/bookshop/catalog?window=1m`)).json());
    expect(detail.pods.find((p) => p.name === 'catalog-0')?.restarts).toBe(1);
  }, 60_000);

  // Last: Ctrl-C reaches the CLI twice (the terminal's process group, and npm forwarding it).
  it('stops every process and removes its files on a double Ctrl-C', async () => {
    const exited = new Promise<number | null>((r) => mesh.child.once('exit', r));
    mesh.child.kill('SIGINT');
    mesh.child.kill('SIGINT');
    // On a failure, what meshviz up said while stopping.
    expect(await exited, mesh.output().slice(-4000)).toBe(0);
    expect(mesh.output()).toMatch(/meshviz up: stopped/);
    expect(existsSync(mesh.runDir)).toBe(false);
    for (const url of [mesh.dashboardUrl, mesh.prometheusUrl, mesh.apiUrl, mesh.loadgenUrl!]) {
      await expect(fetch(url, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
    }
  }, 30_000);
});

describe('meshviz up errors', () => {
  it('stops everything it started when interrupted while starting', async () => {
    const child = spawn(process.execPath, [MAIN, 'up', '--demo', '--port', '0'], { stdio: 'pipe', env: childEnv({ HOME: os.tmpdir() }) });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('replicas, each beside') && !child.killed) child.kill('SIGINT');
    });
    let err = '';
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code, `${out}\n${err}`).toBe(130);
    expect(out).toMatch(/interrupted; everything it started is stopped/);
    const runDir = /files and logs of this run: (\S+)/.exec(out)?.[1];
    expect(runDir).toBeDefined();
    expect(existsSync(runDir!)).toBe(false);
  }, 60_000);

  it('names a dashboard port already in use and how to choose another', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const { port } = blocker.address() as net.AddressInfo;
    const child = spawn(process.execPath, [MAIN, 'up', '--demo', '--port', String(port)], { stdio: 'pipe' });
    let err = '';
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    blocker.close();
    expect(code).toBe(2);
    expect(err).toContain(`port ${port} (dashboard) is already in use`);
    expect(err).toMatch(/--port <n> or MESHVIZ_PORT/);
  });

  it('explains a missing Prometheus', async () => {
    const child = spawn(process.execPath, [MAIN, 'up', '--demo', '--port', '0'], {
      stdio: 'pipe',
      env: childEnv({ PROMETHEUS_BIN: '', PATH: '/nonexistent' }),
    });
    let err = '';
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(2);
    expect(err).toMatch(/Prometheus was not found.*PROMETHEUS_BIN/);
  });
});
