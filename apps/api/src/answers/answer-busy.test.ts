import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { scaledPrometheusProcess } from '../testing/scaled-prometheus.js';

// Measures how busy the API's event loop is while a whole mesh is computed, so it runs on its own after the rest
// of the suite (the '@meshviz/api (alone)' project in the root vitest.config.ts): beside the other projects on 2
// cores, the computation, its store and the calls that probe the loop all wait for CPU, and what is measured is
// the machine's load rather than where the work runs.

const AT = Date.parse('2026-11-20T10:00:00Z');

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
  // Whatever the answer (or a failure to get one), the loop of calls below ends with it: an answer that is not a
  // 200 fails the test with what it said, instead of leaving the loop running until the test's timeout.
  const topology = fetch(`${base}/api/v1/topology?namespace=all&window=1m&at=${(AT + 60_000) / 1000}`)
    .then(async (r) => ({ status: r.status, text: await r.text(), ms: performance.now() - t0 }))
    .finally(() => {
      done = true;
    });
  const callsMs: number[] = [];
  while (!done) {
    const c0 = performance.now();
    const r = await fetch(`${base}/api/v1/healthz`);
    await r.arrayBuffer();
    callsMs.push(performance.now() - c0);
    await new Promise((r) => setTimeout(r, 50));
  }
  const answer = await topology;
  expect(answer.status, answer.text.slice(0, 500)).toBe(200);
  const computeMs = answer.ms;
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

