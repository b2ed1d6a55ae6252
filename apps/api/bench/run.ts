#!/usr/bin/env node
/**
 * API benchmark: a real Prometheus scraping a synthetic mesh of 500 workloads and 2000 edges in the proxy's
 * metric format, then p50/p95 latency of the stats, detail and topology endpoints (the response cache is bypassed
 * by asking for a different `at` each time). Writes bench/results/api.json and api.md at the repo root.
 * Usage: npm run bench -w @meshviz/api   (PROMETHEUS_BIN to choose the binary)
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../src/app.js';
import { startSyntheticMesh } from './synthetic-mesh.js';

const WORKLOADS = 500;
const EDGES_PER_WORKLOAD = 4;
const FILL_SECONDS = Number(process.env.BENCH_FILL_SECONDS ?? 100);
const RUNS = 40;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;

async function main() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'meshviz-api-bench-'));
  const mesh = await startSyntheticMesh(WORKLOADS, 10, EDGES_PER_WORKLOAD);
  const sd = mesh.targets.map((t) => ({ targets: [mesh.url], labels: { ...t.labels, __metrics_path__: t.path } }));
  await writeFile(path.join(dir, 'targets.json'), JSON.stringify(sd));
  await writeFile(
    path.join(dir, 'prometheus.yml'),
    `global: { scrape_interval: 5s, scrape_timeout: 4s }\nscrape_configs:\n  - job_name: synthetic\n    file_sd_configs: [{ files: [${JSON.stringify(path.join(dir, 'targets.json'))}] }]\n`,
  );
  const port = 20000 + Math.floor(Math.random() * 20000);
  const prom = spawn(process.env.PROMETHEUS_BIN ?? 'prometheus', [
    `--config.file=${path.join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${path.join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ], { stdio: 'ignore' });
  const promUrl = `http://127.0.0.1:${port}`;
  try {
    process.stdout.write(`filling Prometheus with ${FILL_SECONDS}s of a ${WORKLOADS}-workload mesh…\n`);
    await new Promise((r) => setTimeout(r, FILL_SECONDS * 1000));
    const series = await fetch(`${promUrl}/api/v1/query?query=count({job="synthetic"})`).then((r) => r.json() as Promise<{ data: { result: Array<{ value: [number, string] }> } }>);
    const seriesCount = Number(series.data.result[0]?.value[1] ?? 0);
    const app = buildApp({ config: { prometheusUrl: promUrl, prometheusTimeoutMs: 30_000, logLevel: 'warn' } });
    await app.ready();
    const endpoints: Record<string, string> = {
      'stats (all namespaces)': '/api/v1/stats?kind=deployment&namespace=all&window=1m',
      'stats (one namespace)': '/api/v1/stats?kind=deployment&namespace=ns-3&window=1m',
      'topology (all namespaces)': '/api/v1/topology?namespace=all&window=1m',
      'topology (one namespace)': '/api/v1/topology?namespace=ns-3&window=1m',
      'workload detail': '/api/v1/workloads/ns-3/svc-3?window=1m',
    };
    const results: Array<{ endpoint: string; p50: number; p95: number; rows: number }> = [];
    for (const [name, url] of Object.entries(endpoints)) {
      const times: number[] = [];
      let size = 0;
      for (let i = 0; i < RUNS; i++) {
        const at = Math.floor(Date.now() / 1000) - i;
        const t0 = performance.now();
        const res = await app.inject({ url: `${url}&at=${at}` });
        times.push(performance.now() - t0);
        if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
        size = res.body.length;
      }
      times.sort((a, b) => a - b);
      results.push({ endpoint: name, p50: quantile(times, 0.5), p95: quantile(times, 0.95), rows: size });
      process.stdout.write(`${name}: p50 ${quantile(times, 0.5).toFixed(1)} ms, p95 ${quantile(times, 0.95).toFixed(1)} ms\n`);
    }
    await app.close();
    const targets = { 'stats (all namespaces)': 150, 'stats (one namespace)': 150, 'topology (all namespaces)': 300, 'topology (one namespace)': 300 } as Record<string, number>;
    const md = [
      '# API benchmark',
      '',
      `Real Prometheus (${(await fetch(`${promUrl}/api/v1/status/buildinfo`).then((r) => r.json() as Promise<{ data: { version: string } }>)).data.version}) scraping a synthetic mesh every 5 s for ${FILL_SECONDS} s:`,
      `${WORKLOADS} workloads in 10 namespaces, ${WORKLOADS * EDGES_PER_WORKLOAD} edges, ${seriesCount} series. ${RUNS} sequential requests per endpoint, each at a`,
      'different `at` so the response cache never answers. Machine: 2 cores; Prometheus, the API and the synthetic',
      'exporter share them.',
      '',
      '| endpoint | p50 (ms) | p95 (ms) | target p95 | met |',
      '|---|---:|---:|---:|---|',
      ...results.map((r) => `| ${r.endpoint} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${targets[r.endpoint] ?? '—'} | ${targets[r.endpoint] === undefined ? '—' : r.p95 <= targets[r.endpoint]! ? 'yes' : 'no'} |`),
      '',
      'Command: `npm run bench -w @meshviz/api` (after `npm run build`).',
      '',
    ].join('\n');
    await writeFile(path.join(root, 'bench/results/api.md'), md);
    await writeFile(path.join(root, 'bench/results/api.json'), `${JSON.stringify({ workloads: WORKLOADS, edges: WORKLOADS * EDGES_PER_WORKLOAD, series: seriesCount, fillSeconds: FILL_SECONDS, runs: RUNS, results }, null, 2)}\n`);
    process.stdout.write(`${md}\n`);
  } finally {
    prom.kill('SIGTERM');
    await mesh.close();
    await new Promise((r) => setTimeout(r, 500));
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
