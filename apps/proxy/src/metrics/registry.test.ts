import { execFile, spawnSync } from 'node:child_process';
import { METRIC } from '@meshviz/mesh-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, getText, send, startUpstream, type Upstream } from '../testing/http-fixtures.js';
import { CATALOG, type Mesh, startMesh } from '../testing/mesh.js';
import { parseSamples, select } from '../testing/prom-text.js';
import { createProxyMetrics, GC_KINDS } from './registry.js';

/**
 * Debian's prometheus package installs it on PATH, and `npm test` installs that package when promtool is missing
 * (scripts/setup.mjs); like the proxy's other tests that need an outside tool, this one skips only without it.
 */
const PROMTOOL = process.env.PROMTOOL_BIN ?? 'promtool';
const hasPromtool = !spawnSync(PROMTOOL, ['--version']).error;

function checkMetrics(text: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = execFile(PROMTOOL, ['check', 'metrics'], (error, stdout, stderr) =>
      resolve({ code: error ? (error.code as number) : 0, output: stdout + stderr }),
    );
    child.stdin?.end(text);
  });
}

/**
 * The only findings allowed: names the Linkerd-compatible telemetry contract fixes, which promtool's naming lint
 * would have spelt `_milliseconds`. Anything else (prom-client's defaults included) must pass clean.
 */
const CONTRACT_FINDINGS = [METRIC.responseLatencyMs, METRIC.routeResponseLatencyMs, METRIC.tcpConnectionDurationMs].map(
  (name) => `${name} metric names should not contain abbreviated units`,
);

describe("a live proxy's /metrics under promtool check metrics", () => {
  let app: Upstream;
  let mesh: Mesh;

  beforeAll(async () => {
    app = await startUpstream();
    // A caller's proxy and a server's, with routes on both sides, so every family of the contract has series.
    mesh = await startMesh({
      apps: [app.addr],
      routes: [{ name: 'GET /books', method: 'GET', path: '/books', retries: { limit: 1 } }],
      inboundRoutes: [{ name: 'books', path: '/books' }],
    });
    for (let i = 0; i < 3; i++) {
      expect((await send(mesh.client.addresses.outbound, { path: '/books', headers: { host: CATALOG } })).status).toBe(200);
    }
  });

  afterAll(async () => {
    await mesh?.close();
    await app?.close();
  });

  it('has no findings beyond the names the contract fixes, on the caller and on the server', async (ctx) => {
    if (!hasPromtool) return ctx.skip(`${PROMTOOL} is not installed (Debian: apt-get install prometheus)`);
    const findings = new Set<string>();
    for (const proxy of [mesh.client, mesh.replicas[0]!]) {
      let text = '';
      // response_total is counted when the body closes, just after the client saw the end.
      await eventually(async () => {
        text = (await getText(proxy.addresses.admin, '/metrics')).text;
        const samples = parseSamples(text);
        for (const family of [METRIC.requestTotal, METRIC.responseTotal, METRIC.routeRequestTotal, METRIC.tcpOpenTotal]) {
          expect(select(samples, family).length, family).toBeGreaterThan(0);
        }
        expect(select(samples, `${METRIC.responseLatencyMs}_count`).length).toBeGreaterThan(0);
        // The test client's connections to the caller close after each request; the caller pools its own.
        if (proxy === mesh.client) expect(select(samples, `${METRIC.tcpConnectionDurationMs}_count`).length).toBeGreaterThan(0);
      });
      // prom-client's process metrics are there, without its misnamed gauges.
      expect(text).toMatch(/^nodejs_active_handles\{type="/m);
      expect(text).not.toMatch(/^nodejs_active_\w+_total\b/m);

      const result = await checkMetrics(text);
      // 0: clean; 3: lint findings only. 1 would mean the exposition does not parse.
      expect([0, 3], result.output).toContain(result.code);
      for (const line of result.output.split('\n')) if (line.trim() !== '') findings.add(line.trim());
    }
    expect([...findings].filter((line) => !CONTRACT_FINDINGS.includes(line))).toEqual([]);
    // The caller has every latency family with samples, so every contract name was linted (not just allowed).
    expect([...findings].sort()).toEqual([...CONTRACT_FINDINGS].sort());
  });
});

describe('the GC duration histogram', () => {
  it('has a series per GC kind from the first scrape, at zero until that kind runs', async () => {
    const metrics = createProxyMetrics({ idleTimeoutMs: 60_000, version: 'test' });
    const counts = select(parseSamples(await metrics.registry.metrics()), 'nodejs_gc_duration_seconds_count');
    expect(counts.map((s) => s.labels.kind).sort()).toEqual([...GC_KINDS].sort());
  });
});
