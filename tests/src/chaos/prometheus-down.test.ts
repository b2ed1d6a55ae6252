import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApiError } from '@meshviz/mesh-types';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../apps/api/src/app.js';
import { eventually } from '../../../apps/proxy/src/testing/http-fixtures.js';
import { freePort } from '../../../apps/proxy/src/testing/tcp-fixtures.js';

/**
 * A real Prometheus stopped under the API and started again on the same port: while it is down the API answers
 * 503 API_PROMETHEUS_UNAVAILABLE within its Prometheus timeout, and once it is back the API answers again within one
 * scrape interval, by itself.
 */
const SCRAPE_SECONDS = 1;
const PROMETHEUS_TIMEOUT_MS = 2_000;
const dir = mkdtempSync(path.join(tmpdir(), 'meshviz-hardening-prom-'));
let port: number;
let prometheus: ChildProcess | undefined;
let api: FastifyInstance;

function startPrometheus(): ChildProcess {
  const child = spawn(
    'prometheus',
    [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: 'ignore' },
  );
  return child;
}

async function stopPrometheus(): Promise<void> {
  const child = prometheus;
  prometheus = undefined;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

const ready = () =>
  eventually(async () => {
    const res = await fetch(`http://127.0.0.1:${port}/-/ready`);
    expect(res.status).toBe(200);
  }, 20_000);

beforeAll(async () => {
  port = await freePort();
  writeFileSync(path.join(dir, 'prometheus.yml'), `global:\n  scrape_interval: ${SCRAPE_SECONDS}s\n`);
  prometheus = startPrometheus();
  await ready();
  api = buildApp({ config: { prometheusUrl: `http://127.0.0.1:${port}`, prometheusTimeoutMs: PROMETHEUS_TIMEOUT_MS, logLevel: 'silent' } });
  await api.ready();
}, 30_000);
afterAll(async () => {
  await stopPrometheus();
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
});

const topology = () => api.inject({ url: '/api/v1/topology' });

describe('Prometheus stopped and started again under the API', () => {
  it('answers 503 within its timeout while Prometheus is down, and recovers within a scrape once it is back', async () => {
    expect((await topology()).statusCode).toBe(200);

    await stopPrometheus();
    // A current topology is a live answer, computed once per refresh interval (the scrape interval here) and served
    // until it is one interval old or while the next is being computed: the first refresh after the stop fails and
    // drops it, so from one interval after the stop (plus that failed computation) every call meets the outage.
    await new Promise((r) => setTimeout(r, SCRAPE_SECONDS * 1000 + 300));
    const asked = performance.now();
    const down = await topology();
    const tookMs = performance.now() - asked;
    expect(down.statusCode).toBe(503);
    expect(ApiError.parse(down.json()).error.code).toBe('API_PROMETHEUS_UNAVAILABLE');
    expect(tookMs).toBeLessThan(PROMETHEUS_TIMEOUT_MS + 500);

    prometheus = startPrometheus();
    await ready();
    const back = performance.now();
    await eventually(async () => expect((await topology()).statusCode).toBe(200), SCRAPE_SECONDS * 1000);
    process.stdout.write(`prometheus down: 503 in ${Math.round(tookMs)} ms; answered again ${Math.round(performance.now() - back)} ms after Prometheus was ready\n`);
  });
});
