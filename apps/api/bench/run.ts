#!/usr/bin/env node
/**
 * API benchmark: real stores scraping a synthetic mesh in the proxy's metric format (500 workloads / 2000 edges,
 * then 2000 workloads / 10 000 edges), then p50/p95 latency of the stats, topology and workload detail endpoints
 * computed for each call (the response cache is bypassed by asking for a different `at` each time: what one
 * refresh of a live answer costs), with the time of every PromQL request behind them and the store's own CPU and
 * memory; then, for the endpoints with live answers, the latency of calls without `at` served by them and the
 * store's CPU while they are refreshed once per scrape interval. Over Prometheus twice: reading the raw series, then the
 * recorded sums of meshviz's rule group (API_RECORDED_WINDOWS=1m), with what evaluating that group costs; over
 * VictoriaMetrics reading the raw series.
 * Writes bench/results/api.json and api.md at the repo root.
 * The API runs as `meshviz-api` runs it: its own store client, the stats and topology computed in its worker
 * thread; the synthetic exporter runs in a child process, apart from the API's event loop.
 * Usage: npm run bench -w @meshviz/api   (PROMETHEUS_BIN, VICTORIA_METRICS_BIN, BENCH_SIZES, BENCH_FILL_SECONDS,
 * BENCH_RUNS, BENCH_RUNS_LARGE, BENCH_RECORDED)
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { recordingRuleGroup } from '@meshviz/promql';
import { revisionText } from '../../../bench/revision.mjs';
import { buildApp } from '../src/app.js';
import { createPrometheusClient } from '../src/prometheus/client.js';
import type { QueryTiming } from '../src/prometheus/timed.js';
import { findStore, type RunningStore, STORE_KINDS, type StoreKind, startStore } from '../src/testing/stores.js';
import { env } from './env.js';
import { evaluationMs, measuredUse, processUse, ruleGroupMs } from './prometheus-cost.js';
import { type EndpointResult, type Phase, quantile, queryBreakdown, renderMarkdown, type SizeResult } from './report.js';
import { spawnSyntheticMesh } from './synthetic-mesh.js';

/**
 * warmup: untimed requests per endpoint before the timed ones; evalRuns: times each query is evaluated alone for
 * Prometheus' own share. Fewer at 2000 workloads, where one whole-mesh topology takes the store many seconds.
 */
const SIZES = [
  { workloads: 500, namespaces: 10, edgesPerWorkload: 4, runs: env.BENCH_RUNS, warmup: 3, evalRuns: 5 },
  { workloads: 2000, namespaces: 40, edgesPerWorkload: 5, runs: env.BENCH_RUNS_LARGE, warmup: 1, evalRuns: 3 },
].filter((s) => env.BENCH_SIZES.includes(s.workloads));
type Size = (typeof SIZES)[number];
const SCRAPE_SECONDS = 5;
const WINDOW = '1m';
/** Seconds the store's idle use (scraping, and rules when loaded) is measured over. */
const IDLE_SECONDS = 30;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** live: calls without `at` are served by the live answers, refreshed once per scrape interval. */
const ENDPOINTS: Array<{ endpoint: string; url: string; target: number | null; live: boolean }> = [
  { endpoint: 'stats (all namespaces)', url: `/api/v1/stats?kind=deployment&namespace=all&window=${WINDOW}`, target: 150, live: true },
  { endpoint: 'stats (one namespace)', url: `/api/v1/stats?kind=deployment&namespace=ns-3&window=${WINDOW}`, target: 100, live: false },
  { endpoint: 'topology (all namespaces)', url: `/api/v1/topology?namespace=all&window=${WINDOW}`, target: 300, live: true },
  { endpoint: 'topology (one namespace)', url: `/api/v1/topology?namespace=ns-3&window=${WINDOW}`, target: 100, live: true },
  { endpoint: 'workload detail', url: `/api/v1/workloads/ns-3/svc-3?window=${WINDOW}`, target: null, live: false },
];
/** Live answers: calls without `at`, one every LIVE_PACE_MS for LIVE_INTERVALS refresh intervals. */
const LIVE_INTERVALS = 6;
const LIVE_PACE_MS = 200;

const sleep = (s: number) => new Promise((r) => setTimeout(r, s * 1000));
const load = () => os.loadavg().map((l) => Number(l.toFixed(2)));

/**
 * The bench process' peak resident memory while `during` runs, sampled every 50 ms: the API (its main thread and
 * its answer worker) and the bench's own few objects; the exporter and the stores are other processes.
 */
async function peakRss<T>(during: () => Promise<T>): Promise<{ result: T; apiRssMb: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  try {
    const result = await during();
    return { result, apiRssMb: Math.max(peak, process.memoryUsage.rss()) / 2 ** 20 };
  } finally {
    clearInterval(timer);
  }
}

/** The API as `meshviz-api` runs it (its own store client, answers computed in its worker thread), timed. */
function benchApp(store: RunningStore, recordedWindows: string[], log: QueryTiming[], live: boolean) {
  const config = { prometheusUrl: store.url, prometheusTimeoutMs: 120_000, logLevel: 'warn', recordedWindows, scrapeIntervalSeconds: SCRAPE_SECONDS };
  return buildApp({ config: { ...config, ...(live ? { liveRefreshSeconds: SCRAPE_SECONDS } : {}) }, observeQueries: (t) => log.push(t) });
}

/**
 * Calls without `at`, as the dashboard and the CLI send them, one every LIVE_PACE_MS for LIVE_INTERVALS refresh
 * intervals, over an API of their own (closed after, so its refreshes stop): each is served by the live answer,
 * which the API computes again once per scrape interval in the background. The first call, which waits for the
 * first computation, is not timed. The store's CPU is measured over the timed calls, refreshes included, and the
 * delay of the API's event loop (the longest time a call could wait for the thread).
 */
async function measureLive(store: RunningStore, url: string, recordedWindows: string[]): Promise<NonNullable<EndpointResult['live']>> {
  const log: QueryTiming[] = [];
  const app = benchApp(store, recordedWindows, log, true);
  const call = async () => {
    const res = await app.inject({ url });
    if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
  };
  try {
    await call();
    log.length = 0;
    const times: number[] = [];
    const seconds = LIVE_INTERVALS * SCRAPE_SECONDS;
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const elu = performance.eventLoopUtilization();
    const paced = async () => {
      const end = performance.now() + seconds * 1000;
      while (performance.now() < end) {
        const t0 = performance.now();
        await call();
        const ms = performance.now() - t0;
        times.push(ms);
        await sleep(Math.max(0, LIVE_PACE_MS - ms) / 1000);
      }
    };
    const { result, apiRssMb } = await peakRss(() => measuredUse(store.url, paced));
    const { cores, rssMb } = result;
    const loopBusy = performance.eventLoopUtilization(elu).utilization;
    delay.disable();
    times.sort((a, b) => a - b);
    // Each refresh evaluates all its queries at one instant of its own.
    const refreshes = new Set(log.map((t) => t.at)).size;
    const loopMaxMs = delay.max / 1e6;
    return { p50: quantile(times, 0.5), p95: quantile(times, 0.95), calls: times.length, seconds, refreshes, storeCores: cores, storeRssMb: rssMb, loopMaxMs, loopBusy, apiRssMb };
  } finally {
    await app.close();
  }
}

async function measureEndpoints(store: RunningStore, size: Size, recordedWindows: string[]): Promise<EndpointResult[]> {
  const log: QueryTiming[] = [];
  const app = benchApp(store, recordedWindows, log, false);
  await app.ready();
  const results: EndpointResult[] = [];
  for (const e of ENDPOINTS) {
    const times: number[] = [];
    let bytes = 0;
    const loadAtStart = load();
    // Whole seconds a scrape interval back and earlier (both stores hold every sample of such an instant), one
    // apart and counted from one start, so no two requests share an `at` and the response cache never answers.
    const base = Math.floor(Date.now() / 1000) - SCRAPE_SECONDS;
    const sequential = async () => {
      for (let i = 0; i < size.warmup + size.runs; i++) {
        if (i === size.warmup) log.length = 0;
        const at = base - i;
        const t0 = performance.now();
        const res = await app.inject({ url: `${e.url}&at=${at}` });
        if (i >= size.warmup) times.push(performance.now() - t0);
        if (res.statusCode !== 200) throw new Error(`${e.url} answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
        bytes = res.body.length;
      }
    };
    const { result, apiRssMb } = await peakRss(() => measuredUse(store.url, sequential));
    const { cores, rssMb } = result;
    times.sort((a, b) => a - b);
    const queries = queryBreakdown(log);
    if (store.kind === 'prometheus') {
      // Each query once more, alone, for the time Prometheus itself takes to evaluate it.
      const at = Math.floor(Date.now() / 1000) - SCRAPE_SECONDS;
      for (const q of queries) q.evalMs = await evaluationMs(store.url, q.query, at, size.evalRuns);
    }
    const live = e.live ? await measureLive(store, e.url, recordedWindows) : undefined;
    const r: EndpointResult = {
      endpoint: e.endpoint,
      url: e.url,
      target: e.target,
      ...(live ? { live } : {}),
      p50: quantile(times, 0.5),
      p95: quantile(times, 0.95),
      queries,
      responseBytes: bytes,
      storeCores: cores,
      storeRssMb: rssMb,
      apiRssMb,
      loadAverage: loadAtStart,
    };
    results.push(r);
    log.length = 0;
    process.stdout.write(`  ${e.endpoint}: one computation p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms (store ${cores.toFixed(2)} cores, ${rssMb.toFixed(0)} MB; API peak RSS ${apiRssMb.toFixed(0)} MB)\n`);
    if (live) {
      process.stdout.write(
        `  ${e.endpoint}, live: p50 ${live.p50.toFixed(1)} ms, p95 ${live.p95.toFixed(1)} ms over ${live.calls} calls, ${live.refreshes} refreshes in ${live.seconds} s (store ${live.storeCores.toFixed(2)} cores, ${live.storeRssMb.toFixed(0)} MB; API event loop busy ${(100 * live.loopBusy).toFixed(0)} %, delayed ${live.loopMaxMs.toFixed(0)} ms at most, API peak RSS ${live.apiRssMb.toFixed(0)} MB)\n`,
      );
    }
  }
  await app.close();
  return results;
}

/** The store's CPU (cores) and memory while it only scrapes (and evaluates rules, when loaded). */
async function idleUse(store: RunningStore): Promise<{ cores: number; rssMb: number }> {
  const { cores, rssMb } = await measuredUse(store.url, () => sleep(IDLE_SECONDS));
  return { cores, rssMb };
}

async function benchStore(kind: StoreKind, bin: string, size: Size, groups: Parameters<typeof startStore>[2]['groups']): Promise<Phase[]> {
  const store = await startStore(kind, bin, { groups, scrapeSeconds: SCRAPE_SECONDS });
  try {
    process.stdout.write(`${kind} ${store.version}: filling with ${env.BENCH_FILL_SECONDS} s of a ${size.workloads}-workload mesh…\n`);
    await sleep(env.BENCH_FILL_SECONDS);
    const count = await createPrometheusClient({ url: store.url, timeoutMs: 60_000, auth: { kind: 'none' } }).instant(
      `count({job="mesh"})`,
      new Date((Math.floor(Date.now() / 1000) - SCRAPE_SECONDS) * 1000),
    );
    const series = count[0]?.value ?? 0;
    const phases: Phase[] = [];
    const idle = await idleUse(store);
    process.stdout.write(` raw series (${series} series; idle ${idle.cores.toFixed(2)} cores, ${idle.rssMb.toFixed(0)} MB)\n`);
    phases.push({ store: kind, version: store.version, reading: 'raw', series, idle, endpoints: await measureEndpoints(store, size, []) });
    if (kind === 'prometheus' && env.BENCH_RECORDED.includes(size.workloads)) {
      const group = recordingRuleGroup(WINDOW, `${SCRAPE_SECONDS}s`);
      await store.setRules(group);
      // Two evaluations for the first recorded sums to exist, then the group's own time and the store's idle use.
      await sleep(2 * SCRAPE_SECONDS);
      const ruleMs = await ruleGroupMs(store.url, `meshviz-rates-${WINDOW}`, SCRAPE_SECONDS, 5);
      const idleRules = await idleUse(store);
      process.stdout.write(` recorded sums (rule group ${ruleMs === null ? 'unfinished' : `${ruleMs.toFixed(0)} ms`} per evaluation; idle ${idleRules.cores.toFixed(2)} cores, ${idleRules.rssMb.toFixed(0)} MB)\n`);
      phases.push({
        store: kind,
        version: store.version,
        reading: 'recorded',
        series,
        idle: idleRules,
        rules: { evaluationMs: ruleMs, intervalSeconds: SCRAPE_SECONDS, count: 4 },
        endpoints: await measureEndpoints(store, size, [WINDOW]),
      });
    }
    const end = await processUse(store.url);
    process.stdout.write(` ${kind} used ${end.cpuSeconds.toFixed(0)} CPU seconds in all\n`);
    return phases;
  } finally {
    await store.stop();
  }
}

async function main() {
  const stores = STORE_KINDS.map((kind) => ({ kind, bin: findStore(kind) }));
  const missing = stores.filter((s) => s.bin === null).map((s) => s.kind);
  if (stores.every((s) => s.bin === null)) throw new Error('neither prometheus nor victoria-metrics is installed (PROMETHEUS_BIN, VICTORIA_METRICS_BIN)');
  const sizes: SizeResult[] = [];
  const loadAtStart = load();
  // The code that runs is the code checked out now, whatever is committed while the bench runs.
  const revision = revisionText();
  // Written after each mesh size, so a run stopped during the large mesh still leaves the small one's figures.
  const write = async () => {
    const setup = {
      date: new Date().toISOString(),
      revision,
      scrapeSeconds: SCRAPE_SECONDS,
      fillSeconds: env.BENCH_FILL_SECONDS,
      warmup: SIZES.map((s) => ({ workloads: s.workloads, warmup: s.warmup, evalRuns: s.evalRuns })),
      idleSeconds: IDLE_SECONDS,
      cores: os.cpus().length,
      loadAtStart,
      loadAtEnd: load(),
      missing,
      recorded: env.BENCH_RECORDED.filter((n) => env.BENCH_SIZES.includes(n)),
      settings: `BENCH_SIZES=${env.BENCH_SIZES.join(',')} BENCH_RUNS=${env.BENCH_RUNS} BENCH_RUNS_LARGE=${env.BENCH_RUNS_LARGE} BENCH_FILL_SECONDS=${env.BENCH_FILL_SECONDS} BENCH_RECORDED=${env.BENCH_RECORDED.join(',') || 'none'}`,
    };
    const md = renderMarkdown(setup, sizes);
    await writeFile(path.join(root, 'bench/results/api.md'), md);
    await writeFile(path.join(root, 'bench/results/api.json'), `${JSON.stringify({ setup, sizes }, null, 2)}\n`);
    return md;
  };
  for (const size of SIZES) {
    const mesh = await spawnSyntheticMesh(size.workloads, size.namespaces, size.edgesPerWorkload);
    const groups = mesh.targets.map((t) => ({ targets: [mesh.url], labels: { ...t.labels, __metrics_path__: t.path } }));
    try {
      const phases: Phase[] = [];
      for (const { kind, bin } of stores) if (bin !== null) phases.push(...(await benchStore(kind, bin, size, groups)));
      sizes.push({ workloads: size.workloads, namespaces: size.namespaces, edges: size.workloads * size.edgesPerWorkload, runs: size.runs, phases });
    } finally {
      await mesh.close();
    }
    await write();
  }
  process.stdout.write(`${await write()}\n`);
}

await main();
