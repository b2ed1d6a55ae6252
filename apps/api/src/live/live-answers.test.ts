import { describe, expect, it } from 'vitest';
import type { ScrapeInterval } from '../prometheus/client.js';
import { LiveAnswers, type LiveOptions } from './live-answers.js';

const SCRAPE: ScrapeInterval = { seconds: 5, source: 'prometheus' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A computation that records each instant it is asked for, takes `ms`, and answers that instant with a serial
 * number; `fail` makes the next ones throw what a store that went away throws.
 */
function computation(ms: number) {
  const asked: number[] = [];
  let inFlight = 0;
  const c = {
    asked,
    fail: false,
    inFlight: () => inFlight,
    run: async (at: Date) => {
      asked.push(at.getTime());
      inFlight++;
      try {
        await sleep(ms);
        if (c.fail) throw new Error('Prometheus is not reachable');
        return { n: asked.length, asOf: at.getTime() };
      } finally {
        inFlight--;
      }
    },
  };
  return c;
}

const answers = (o: Partial<LiveOptions> & { intervalMs: LiveOptions['intervalMs'] }) => new LiveAnswers(o);

describe('LiveAnswers', () => {
  it('many callers of one key share one computation, at one instant', async () => {
    const live = answers({ intervalMs: () => 60_000 });
    const c = computation(50);
    const before = Date.now();
    const all = await Promise.all(Array.from({ length: 50 }, () => live.get('k', SCRAPE, c.run)));
    expect(c.asked).toHaveLength(1);
    expect(live.computations).toBe(1);
    expect(new Set(all.map((a) => a?.n))).toEqual(new Set([1]));
    expect(all[0]?.asOf).toBeGreaterThanOrEqual(before);
    // Later callers within the interval get the same answer without a computation.
    expect(await live.get('k', SCRAPE, c.run)).toBe(all[0]);
    expect(c.asked).toHaveLength(1);
    live.close();
  });

  it('keys apart are computed apart', async () => {
    const live = answers({ intervalMs: () => 60_000 });
    const a = computation(10);
    const b = computation(10);
    await Promise.all([live.get('a', SCRAPE, a.run), live.get('b', SCRAPE, b.run), live.get('a', SCRAPE, a.run)]);
    expect([a.asked.length, b.asked.length, live.size]).toEqual([1, 1, 2]);
    live.close();
  });

  it('refreshes in the background once per interval, and serves no answer older than one interval unless its successor is computing', async () => {
    const interval = 80;
    const live = answers({ intervalMs: () => interval });
    const c = computation(30);
    const served: Array<{ age: number; computing: boolean }> = [];
    const end = Date.now() + 1000;
    while (Date.now() < end) {
      const answer = await live.get('k', SCRAPE, c.run);
      const now = Date.now();
      served.push({ age: now - (answer?.asOf ?? 0), computing: c.inFlight() > 0 });
      await sleep(5);
    }
    // Each refresh evaluated at least one interval after the one before: no two at once, none early.
    for (let i = 1; i < c.asked.length; i++) expect((c.asked[i] ?? 0) - (c.asked[i - 1] ?? 0)).toBeGreaterThanOrEqual(interval - 1);
    // About one per interval over the second (fewer when the machine is busy, never more).
    expect(c.asked.length).toBeGreaterThanOrEqual(3);
    expect(c.asked.length).toBeLessThanOrEqual(Math.ceil(1000 / interval) + 1);
    for (const s of served) expect(s.age <= interval || s.computing, JSON.stringify(s)).toBe(true);
    live.close();
  });

  it('a failed refresh drops the answer: its callers and the next ones get the error, never the older numbers', async () => {
    const interval = 60;
    const live = answers({ intervalMs: () => interval });
    const c = computation(20);
    const first = await live.get('k', SCRAPE, c.run);
    expect(first?.n).toBe(1);
    c.fail = true;
    // The background refresh starts one interval after the first instant and fails.
    const deadline = Date.now() + 5000;
    while ((c.asked.length < 2 || c.inFlight() > 0) && Date.now() < deadline) await sleep(5);
    expect(c.asked.length).toBeGreaterThanOrEqual(2);
    await expect(live.get('k', SCRAPE, c.run)).rejects.toThrow('Prometheus is not reachable');
    // While the next refresh is computing, a caller joins it rather than getting the answer before the failure.
    const failed = c.asked.length;
    while ((c.asked.length === failed || c.inFlight() === 0) && Date.now() < deadline + 5000) await sleep(2);
    expect(c.inFlight()).toBe(1);
    await expect(live.get('k', SCRAPE, c.run)).rejects.toThrow('Prometheus is not reachable');
    // The store is back: the next caller computes anew and gets the new instant's answer.
    c.fail = false;
    const back = await live.get('k', SCRAPE, c.run);
    expect(back?.n).toBeGreaterThan(2);
    expect(back?.asOf).toBeGreaterThan(first?.asOf ?? 0);
    live.close();
  });

  it('while a refresh computes, callers get the previous answer at once', async () => {
    const live = answers({ intervalMs: () => 50 });
    const c = computation(300);
    const first = await live.get('k', SCRAPE, c.run);
    const deadline = Date.now() + 5000;
    while (c.inFlight() === 0 && Date.now() < deadline) await sleep(2);
    const t0 = performance.now();
    expect(await live.get('k', SCRAPE, c.run)).toBe(first);
    expect(performance.now() - t0).toBeLessThan(300);
    live.close();
  });

  it('a first computation that fails is not kept: every caller waiting for it gets the error', async () => {
    const live = answers({ intervalMs: () => 60_000 });
    const c = computation(20);
    c.fail = true;
    const all = await Promise.allSettled(Array.from({ length: 5 }, () => live.get('k', SCRAPE, c.run)));
    expect(all.map((r) => r.status)).toEqual(Array(5).fill('rejected'));
    expect(c.asked).toHaveLength(1);
    live.close();
  });

  it('stops refreshing a key nobody asked for during the idle time, and starts again at its next call', async () => {
    const interval = 30;
    const idleMs = 150;
    const live = answers({ intervalMs: () => interval, idleMs });
    const c = computation(5);
    await live.get('k', SCRAPE, c.run);
    await sleep(idleMs + 4 * interval);
    expect(live.size).toBe(0);
    const stopped = c.asked.length;
    expect(stopped).toBeGreaterThanOrEqual(2);
    await sleep(6 * interval);
    expect(c.asked.length).toBe(stopped);
    const again = await live.get('k', SCRAPE, c.run);
    expect(again?.n).toBe(stopped + 1);
    expect(live.size).toBe(1);
    live.close();
    expect(live.size).toBe(0);
  });

  it('close() stops every refresh, and calls after it are left to the caller', async () => {
    const live = answers({ intervalMs: () => 20 });
    const c = computation(1);
    await live.get('k', SCRAPE, c.run);
    live.close();
    const n = c.asked.length;
    await sleep(100);
    expect(c.asked.length).toBe(n);
    expect(live.get('k', SCRAPE, c.run)).toBeUndefined();
  });

  it('no live answer when the interval is unknown or the keys are full: the caller computes its own', async () => {
    const live = answers({ intervalMs: (s) => (s.source === 'assumed' ? null : s.seconds * 1000), maxKeys: 2 });
    const c = computation(1);
    expect(live.get('k', { seconds: 60, source: 'assumed' }, c.run)).toBeUndefined();
    await live.get('a', SCRAPE, c.run);
    await live.get('b', SCRAPE, c.run);
    expect(live.get('c', SCRAPE, c.run)).toBeUndefined();
    // Keys already kept are still served.
    expect(await live.get('a', SCRAPE, c.run)).toMatchObject({ n: 1 });
    expect(c.asked).toHaveLength(2);
    live.close();
  });
});
