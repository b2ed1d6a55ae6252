import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { type RolloutIo, type RolloutPlan, runRollout } from './runner.js';
import type { RolloutEvent } from './status.js';
import type { Weights } from './steps.js';
import type { Measurement } from './verdict.js';

const plan: RolloutPlan = { steps: [5, 10, 25, 50, 100], intervalMs: 5, bounds: { minSuccessRate: 0.99, maxP99Ms: 500 } };
const healthy: Measurement = { rps: 3, successRate: 1, p99Ms: 20 };

/** A route held in memory and a canary whose figures follow `figures` (one per judgement). */
function world(start: Weights, figures: (Measurement | null | Error)[]) {
  const state = { weights: start, writes: [] as Weights[], measured: 0, events: [] as RolloutEvent[] };
  const io: RolloutIo = {
    readWeights: async () => state.weights,
    writeWeights: async (w) => {
      state.weights = w;
      state.writes.push(w);
    },
    measure: async () => {
      const next = figures[state.measured++];
      if (next instanceof Error) throw next;
      return next === undefined ? healthy : next;
    },
    record: async (e) => void state.events.push(e),
    sleep: (ms, signal) => sleep(ms, undefined, { signal }),
    now: () => new Date('2026-12-04T10:00:00Z'),
  };
  return { state, io };
}

describe('a rollout', () => {
  it('promotes a healthy canary through every step, judging it before each but the first', async () => {
    const { state, io } = world({ stable: 100, canary: 0 }, []);
    const last = await runRollout(plan, io, new AbortController().signal);
    expect(last.verdict).toBe('promoted');
    expect(state.writes.map((w) => w.canary)).toEqual([5, 10, 25, 50, 100]);
    expect(state.measured).toBe(4);
    expect(state.events.map((e) => [e.verdict, e.step, e.weights.canary, e.measured?.successRate ?? null])).toEqual([
      ['start', null, 0, null],
      ['advance', 1, 5, null],
      ['advance', 2, 10, 1],
      ['advance', 3, 25, 1],
      ['advance', 4, 50, 1],
      ['promoted', 5, 100, 1],
    ]);
    expect(state.events[2]?.reason).toBe('within bounds: success rate 100.00% ≥ 99.00%, p99 20.0ms ≤ 500.0ms; the canary now takes 10%');
  });

  it('goes on from the share the canary already has', async () => {
    const { state, io } = world({ stable: 90, canary: 10 }, []);
    await runRollout(plan, io, new AbortController().signal);
    expect(state.writes.map((w) => w.canary)).toEqual([25, 50, 100]);
    expect(state.measured).toBe(3);
    expect(state.events[0]?.reason).toBe('the canary takes 10%; steps ahead: 25%, 50%, 100%');
  });

  it('rolls back at once when the success rate falls below its bound', async () => {
    const { state, io } = world({ stable: 100, canary: 0 }, [healthy, { rps: 3, successRate: 0.5, p99Ms: 20 }]);
    const last = await runRollout(plan, io, new AbortController().signal);
    expect(last).toMatchObject({ verdict: 'rolled-back', weights: { stable: 100, canary: 0 }, written: true, failures: [{ metric: 'success-rate', value: 0.5 }] });
    expect(last.reason).toBe('rolled back to 0%: success rate 50.00% is below the minimum 99.00%');
    expect(state.writes.map((w) => w.canary)).toEqual([5, 10, 0]);
  });

  it('rolls back when the p99 rises above its bound, or the canary has no traffic', async () => {
    const slow = world({ stable: 90, canary: 10 }, [{ rps: 3, successRate: 1, p99Ms: 900 }]);
    expect((await runRollout(plan, slow.io, new AbortController().signal)).failures?.[0]).toMatchObject({ metric: 'p99', value: 900 });
    expect(slow.state.writes).toEqual([{ stable: 100, canary: 0 }]);
    const idle = world({ stable: 90, canary: 10 }, [{ rps: null, successRate: null, p99Ms: null }]);
    expect((await runRollout(plan, idle.io, new AbortController().signal)).failures?.[0]?.metric).toBe('traffic');
    const unknown = world({ stable: 90, canary: 10 }, [null]);
    expect((await runRollout(plan, unknown.io, new AbortController().signal)).verdict).toBe('rolled-back');
  });

  it('rolls back when the figures cannot be read', async () => {
    const { state, io } = world({ stable: 90, canary: 10 }, [new Error('cannot reach the meshviz API')]);
    const last = await runRollout(plan, io, new AbortController().signal);
    expect(last.failures).toEqual([{ metric: 'measurement', value: null, message: "the canary's figures could not be read (cannot reach the meshviz API)" }]);
    expect(state.weights).toEqual({ stable: 100, canary: 0 });
  });

  it('stops on abort, leaving the weights as they are', async () => {
    const { state, io } = world({ stable: 100, canary: 0 }, []);
    const controller = new AbortController();
    const running = runRollout({ ...plan, intervalMs: 60_000 }, io, controller.signal);
    await sleep(20);
    controller.abort();
    const last = await running;
    expect(last).toMatchObject({ verdict: 'stopped', weights: { stable: 95, canary: 5 }, written: false });
    expect(state.writes).toEqual([{ stable: 95, canary: 5 }]);
  });

  it('stops without writing when the weights were changed outside it', async () => {
    const { state, io } = world({ stable: 100, canary: 0 }, []);
    const measure = io.measure;
    io.measure = async (signal) => {
      state.weights = { stable: 100, canary: 0 };
      return measure(signal);
    };
    const last = await runRollout(plan, io, new AbortController().signal);
    expect(last).toMatchObject({ verdict: 'conflict', weights: { stable: 100, canary: 0 } });
    expect(last.reason).toBe("the route's weights changed outside this rollout (from 95/5 to 100/0); stopped without writing");
    expect(state.writes).toEqual([{ stable: 95, canary: 5 }]);
  });

  it('finishes at once when the canary already takes everything', async () => {
    const { state, io } = world({ stable: 0, canary: 100 }, []);
    const last = await runRollout(plan, io, new AbortController().signal);
    expect(last.verdict).toBe('promoted');
    expect(state.writes).toEqual([]);
  });
});
