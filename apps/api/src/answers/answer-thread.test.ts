import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { createPrometheusClient } from '../prometheus/client.js';
import { deriveAnswer } from '../testing/derived-answer.js';
import { fallbacks, predatingOutbound } from '../testing/predating-families.js';
import { recordedPrometheus } from '../testing/recorded-prometheus.js';
import { scaledPrometheus } from '../testing/scaled-prometheus.js';
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
