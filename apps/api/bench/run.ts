#!/usr/bin/env node
/**
 * API benchmark: a real Prometheus scraping a synthetic mesh of 500 workloads and 2000 edges in the proxy's
 * metric format, then p50/p95 latency of the stats, topology and workload detail endpoints (the response cache
 * is bypassed by asking for a different `at` each time), with the time of every PromQL request behind them, the
 * time Prometheus alone takes to evaluate each of those queries, and what a rule group precomputing the latency
 * would cost Prometheus on every evaluation.
 * Writes bench/results/api.json and api.md at the repo root.
 * Usage: npm run bench -w @meshviz/api   (PROMETHEUS_BIN to choose the binary; BENCH_FILL_SECONDS, BENCH_RUNS)
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { revisionText } from '../../../bench/revision.mjs';
import { buildApp } from '../src/app.js';
import { createPrometheusClient } from '../src/prometheus/client.js';
import { env } from './env.js';
import { evaluationMs, ruleGroupMs } from './prometheus-cost.js';
import { type BenchSetup, type EndpointResult, quantile, queryBreakdown, renderMarkdown } from './report.js';
import { startSyntheticMesh } from './synthetic-mesh.js';
import { type QueryTiming, timedPrometheus } from './timed-prometheus.js';


const WORKLOADS = 500;
const NAMESPACES = 10;
const EDGES_PER_WORKLOAD = 4;
const SCRAPE_SECONDS = 5;
const FILL_SECONDS = env.BENCH_FILL_SECONDS;
const RUNS = env.BENCH_RUNS;
const WARMUP = 3;
/** Times each query is evaluated alone for Prometheus' own share. */
const EVAL_RUNS = 9;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const ENDPOINTS: Array<{ endpoint: string; url: string; target: number | null }> = [
  { endpoint: 'stats (all namespaces)', url: '/api/v1/stats?kind=deployment&namespace=all&window=1m', target: 150 },
  { endpoint: 'stats (one namespace)', url: '/api/v1/stats?kind=deployment&namespace=ns-3&window=1m', target: 150 },
  { endpoint: 'topology (all namespaces)', url: '/api/v1/topology?namespace=all&window=1m', target: 300 },
  { endpoint: 'topology (one namespace)', url: '/api/v1/topology?namespace=ns-3&window=1m', target: 300 },
  { endpoint: 'workload detail', url: '/api/v1/workloads/ns-3/svc-3?window=1m', target: null },
];

async function json<T>(url: string): Promise<T> {
  return (await fetch(url).then((r) => r.json())) as T;
}

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'meshviz-api-bench-'));
  const mesh = await startSyntheticMesh(WORKLOADS, NAMESPACES, EDGES_PER_WORKLOAD);
  const sd = mesh.targets.map((t) => ({ targets: [mesh.url], labels: { ...t.labels, __metrics_path__: t.path } }));
  await writeFile(path.join(dir, 'targets.json'), JSON.stringify(sd));
  // Empty until the end, when the cost of precomputing is measured in the same Prometheus.
  const rulesFile = path.join(dir, 'rules.yml');
  await writeFile(rulesFile, 'groups: []\n');
  await writeFile(
    path.join(dir, 'prometheus.yml'),
    `global: { scrape_interval: ${SCRAPE_SECONDS}s, scrape_timeout: 4s }\nrule_files: [${JSON.stringify(rulesFile)}]\nscrape_configs:\n  - job_name: synthetic\n    file_sd_configs: [{ files: [${JSON.stringify(path.join(dir, 'targets.json'))}] }]\n`,
  );
  const port = 20000 + Math.floor(Math.random() * 20000);
  const prom = spawn(
    env.PROMETHEUS_BIN,
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
      '--web.enable-lifecycle',
    ],
    { stdio: 'ignore' },
  );
  const promUrl = `http://127.0.0.1:${port}`;
  try {
    process.stdout.write(`filling Prometheus with ${FILL_SECONDS}s of a ${WORKLOADS}-workload mesh…\n`);
    await new Promise((r) => setTimeout(r, FILL_SECONDS * 1000));
    const count = await json<{ data: { result: Array<{ value: [number, string] }> } }>(
      `${promUrl}/api/v1/query?query=${encodeURIComponent('count({job="synthetic"})')}`,
    );
    const build = await json<{ data: { version: string } }>(`${promUrl}/api/v1/status/buildinfo`);
    const log: QueryTiming[] = [];
    const config = { prometheusUrl: promUrl, prometheusTimeoutMs: 30_000, logLevel: 'warn' };
    const client = createPrometheusClient({ url: promUrl, timeoutMs: 30_000, auth: { kind: 'none' } });
    const app = buildApp({ config, prometheus: timedPrometheus(client, log) });
    await app.ready();
    const setup: BenchSetup = {
      date: new Date().toISOString(),
      revision: revisionText(),
      prometheus: build.data.version,
      workloads: WORKLOADS,
      namespaces: NAMESPACES,
      edges: WORKLOADS * EDGES_PER_WORKLOAD,
      series: Number(count.data.result[0]?.value[1] ?? 0),
      scrapeSeconds: SCRAPE_SECONDS,
      fillSeconds: FILL_SECONDS,
      runs: RUNS,
      warmup: WARMUP,
      cores: os.cpus().length,
      loadAverage: os.loadavg(),
    };
    const results: EndpointResult[] = [];
    for (const e of ENDPOINTS) {
      const times: number[] = [];
      let bytes = 0;
      for (let i = 0; i < WARMUP + RUNS; i++) {
        if (i === WARMUP) log.length = 0;
        const at = Math.floor(Date.now() / 1000) - i;
        const t0 = performance.now();
        const res = await app.inject({ url: `${e.url}&at=${at}` });
        if (i >= WARMUP) times.push(performance.now() - t0);
        if (res.statusCode !== 200) throw new Error(`${e.url} answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
        bytes = res.body.length;
      }
      times.sort((a, b) => a - b);
      const queries = queryBreakdown(log);
      // Each query once more, alone, for the time Prometheus itself takes to evaluate it.
      const at = Math.floor(Date.now() / 1000);
      for (const q of queries) q.evalMs = await evaluationMs(promUrl, q.query, at, EVAL_RUNS);
      const r = { ...e, p50: quantile(times, 0.5), p95: quantile(times, 0.95), queries, responseBytes: bytes };
      results.push(r);
      log.length = 0;
      process.stdout.write(`${e.endpoint}: p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms\n`);
    }
    await app.close();
    process.stdout.write('measuring what a precomputing rule group would cost…\n');
    const precompute = { intervalSeconds: SCRAPE_SECONDS, ...(await ruleGroupMs(promUrl, rulesFile, SCRAPE_SECONDS, 5)) };
    const md = renderMarkdown(setup, results, precompute);
    await writeFile(path.join(root, 'bench/results/api.md'), md);
    await writeFile(path.join(root, 'bench/results/api.json'), `${JSON.stringify({ setup, results, precompute }, null, 2)}\n`);
    process.stdout.write(`${md}\n`);
  } finally {
    prom.kill('SIGTERM');
    await mesh.close();
    await new Promise((r) => setTimeout(r, 500));
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
