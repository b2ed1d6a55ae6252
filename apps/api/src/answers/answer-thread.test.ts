import { spawn } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { createPrometheusClient } from '../prometheus/client.js';
import { deriveAnswer } from '../testing/derived-answer.js';
import { fallbacks, predatingOutbound } from '../testing/predating-families.js';
import { recordedPrometheus } from '../testing/recorded-prometheus.js';
import { scaledPrometheus, scaledPrometheusProcess } from '../testing/scaled-prometheus.js';
import type { AnswerJob } from './answer-jobs.js';
import { answerOf } from './answer-jobs.js';
import { AnswerThread, type AnswerThreadOptions } from './answer-thread.js';

const FIXTURE = new URL('../testing/fixtures/demo-mesh.json', import.meta.url);
const fallback = fallbacks(deriveAnswer, predatingOutbound);
const AT = Date.parse('2026-11-20T10:00:00Z');
const NO_DESTINATIONS = { table: null, source: { known: false, reason: 'no destinations file in this test' } };
const topologyJob = (namespace: string | null, at = AT): AnswerJob => ({
  kind: 'topology',
  namespace,
  window: '1m',
  scrapeSeconds: 5,
  at,
  configured: NO_DESTINATIONS,
});
const statsJob: AnswerJob = { kind: 'stats', query: { kind: 'deployment', namespace: 'all', window: '1m', tcp: false }, at: AT };

/** A logger whose lines the test reads. */
function capturedLog() {
  const lines: Array<{ level: number; msg: string; heapMb?: number }> = [];
  const log = pino({ level: 'error' }, { write: (s: string) => void lines.push(JSON.parse(s) as (typeof lines)[number]) });
  return { log, lines };
}

function thread(url: string, o: Partial<AnswerThreadOptions> = {}) {
  const { log, lines } = capturedLog();
  const data = { prometheus: { url, timeoutMs: 5000, auth: { kind: 'none' as const } }, recordedWindows: [], logLevel: 'silent', timed: false };
  return { t: new AnswerThread({ data, heapMb: 256, log, ...o }), lines };
}

describe('the answer worker over a recorded mesh', () => {
  let prom: Awaited<ReturnType<typeof recordedPrometheus>>;
  beforeAll(async () => {
    prom = await recordedPrometheus(FIXTURE, { fallback });
  });
  afterAll(() => prom.close());

  it("computes the same JSON text as the API's own thread, for the stats and both topologies", async () => {
    const { t } = thread(prom.url);
    const inline = createPrometheusClient({ url: prom.url, timeoutMs: 5000, auth: { kind: 'none' } });
    try {
      for (const job of [topologyJob(null), topologyJob('bookshop'), statsJob]) {
        const [there, here] = await Promise.all([t.answer(job), answerOf(inline, job)]);
        expect(there).toBe(here);
        expect(there).toContain('"rps":');
      }
      expect(t.started).toBe(1);
    } finally {
      await t.close();
    }
  });

  it('a store error reaches the caller as the same catalogue entry as on the main thread', async () => {
    // Without its fallback the recording lacks the outbound families' queries: Prometheus' 400 for each.
    const bare = await recordedPrometheus(FIXTURE);
    const config = { prometheusUrl: bare.url, prometheusTimeoutMs: 5000, logLevel: 'silent', scrapeIntervalSeconds: 5 };
    const url = `/api/v1/topology?namespace=all&window=1m&at=${AT / 1000}`;
    const worker = buildApp({ config });
    const inline = buildApp({ config: { ...config, answerWorkerHeapMb: 'off' } });
    try {
      const [a, b] = [await worker.inject({ url }), await inline.inject({ url })];
      expect(a.statusCode, a.body).toBe(502);
      expect(b.statusCode).toBe(502);
      const { requestId: _a, ...fromWorker } = (a.json() as { error: { requestId: string } }).error;
      const { requestId: _b, ...fromMain } = (b.json() as { error: { requestId: string } }).error;
      expect(fromWorker).toEqual(fromMain);
      expect(fromWorker).toMatchObject({ code: 'API_PROMETHEUS_ERROR' });
    } finally {
      await Promise.all([worker.close(), inline.close(), bare.close()]);
    }
  });

  it('a store that cannot be reached: 503 API_PROMETHEUS_UNAVAILABLE from the worker', async () => {
    const gone = await recordedPrometheus(FIXTURE);
    const url = gone.url;
    await gone.close();
    const api = buildApp({ config: { prometheusUrl: url, prometheusTimeoutMs: 2000, logLevel: 'silent', scrapeIntervalSeconds: 5 } });
    try {
      const res = await api.inject({ url: `/api/v1/stats?kind=deployment&namespace=all&window=1m&at=${AT / 1000}` });
      expect(res.statusCode, res.body).toBe(503);
      expect(res.json()).toMatchObject({ error: { code: 'API_PROMETHEUS_UNAVAILABLE' } });
    } finally {
      await api.close();
    }
  });
});

describe('a worker that runs out of its heap', () => {
  let store: Awaited<ReturnType<typeof scaledPrometheus>>;
  beforeAll(async () => {
    store = await scaledPrometheus(FIXTURE, 1, { fallback });
  });
  afterAll(() => store.close());

  it('fails its jobs with API_INTERNAL at once, says so in the log, and the next job starts a new worker', async () => {
    const { t, lines } = thread(store.url, { heapMb: 64 });
    try {
      store.setCopies(1500);
      const started = performance.now();
      const failed = await Promise.allSettled([t.answer(topologyJob(null)), t.answer(topologyJob(null, AT + 1000))]);
      expect(performance.now() - started).toBeLessThan(60_000);
      for (const f of failed) {
        expect(f.status).toBe('rejected');
        expect((f as PromiseRejectedResult).reason).toMatchObject({ status: 500, code: 'API_INTERNAL' });
      }
      expect(lines).toHaveLength(1);
      expect(lines[0]?.msg).toMatch(/^the answer worker stopped \(.*memory.*heap limit 64 MB, API_ANSWER_WORKER_HEAP_MB\): its 2 job\(s\) fail/);
      store.setCopies(1);
      expect(await t.answer(topologyJob(null))).toContain('"rps":');
      expect(t.started).toBe(2);
    } finally {
      await t.close();
    }
  }, 90_000);
});

/**
 * While one whole-mesh topology is computed at an instant of its own: the share of the time the API's event loop
 * was busy (eventLoopUtilization: running code rather than waiting for something to do, which a thread kept off
 * the CPU by other processes does not inflate while it waits), its longest delay, and a cheap call
 * (/api/v1/healthz over a real socket) every 50 ms.
 */
async function whileComputing(base: string) {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const elu = performance.eventLoopUtilization();
  let done = false;
  const t0 = performance.now();
  const topology = fetch(`${base}/api/v1/topology?namespace=all&window=1m&at=${(AT + 60_000) / 1000}`).then(async (r) => {
    expect(r.status).toBe(200);
    await r.arrayBuffer();
    done = true;
    return performance.now() - t0;
  });
  const callsMs: number[] = [];
  while (!done) {
    const c0 = performance.now();
    const r = await fetch(`${base}/api/v1/healthz`);
    await r.arrayBuffer();
    callsMs.push(performance.now() - c0);
    await new Promise((r) => setTimeout(r, 50));
  }
  const computeMs = await topology;
  const busy = performance.eventLoopUtilization(elu).utilization;
  delay.disable();
  return { computeMs, busy, loopMaxMs: delay.max / 1e6, callMaxMs: Math.max(...callsMs), calls: callsMs.length };
}

describe('a whole mesh computed in the worker does not hold up other calls', () => {
  // In a process of its own, as a real store: its writing of large answers is not the API's thread's work.
  let store: Awaited<ReturnType<typeof scaledPrometheusProcess>>;
  beforeAll(async () => {
    store = await scaledPrometheusProcess(300);
  }, 30_000);
  afterAll(() => store?.close());

  it('the event loop stays free for calls while the worker computes; on the main thread it is busy computing', async () => {
    const config = { prometheusTimeoutMs: 30_000, logLevel: 'silent', scrapeIntervalSeconds: 5, prometheusUrl: store.url };
    const measured: Record<string, Awaited<ReturnType<typeof whileComputing>>> = {};
    for (const [name, heap] of [
      ['main thread', 'off'],
      ['worker', undefined],
    ] as const) {
      const api = buildApp({ config: { ...config, ...(heap ? { answerWorkerHeapMb: heap } : {}) } });
      try {
        const base = await api.listen({ host: '127.0.0.1', port: 0 });
        // Once first: the store writes each answer once, and both threads' code is compiled.
        expect((await fetch(`${base}/api/v1/topology?namespace=all&window=1m&at=${AT / 1000}`)).status).toBe(200);
        measured[name] = await whileComputing(base);
      } finally {
        await api.close();
      }
    }
    const inline = measured['main thread']!;
    const worker = measured.worker!;
    const all = JSON.stringify(measured);
    // The computation is heavy enough to matter: on the API's own thread it kept the event loop busy.
    expect(inline.busy, all).toBeGreaterThan(0.5);
    // In the worker the same computation leaves the event loop to the calls: busy a small part of that.
    expect(worker.busy, all).toBeLessThan(inline.busy / 3);
    expect(worker.calls, all).toBeGreaterThan(0);
  }, 120_000);
});

describe('closing the API', () => {
  it('fails a call still computing at once, and leaves no thread that keeps the process alive', async () => {
    const store = await scaledPrometheus(FIXTURE, 300, { fallback });
    const { t } = thread(store.url);
    try {
      const running = t.answer(topologyJob(null)).then(
        () => 'answered',
        (err: unknown) => err,
      );
      await new Promise((r) => setTimeout(r, 50));
      await t.close();
      expect(await running).toMatchObject({ status: 500, code: 'API_INTERNAL' });
      await expect(t.answer(topologyJob(null))).rejects.toMatchObject({ status: 500, code: 'API_INTERNAL' });
    } finally {
      await store.close();
    }
    // A process that computed an answer in the worker and closed the API ends by itself.
    const main = fileURLToPath(new URL('../testing/api-closes-main.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), main], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(null);
      }, 20_000);
      child.once('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    expect(out).toBe('200\n');
    expect(code, 'the process did not end within 20 s of closing the API').toBe(0);
  }, 60_000);
});
