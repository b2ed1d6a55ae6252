import type { RolloutEvent, RolloutVerdict } from './status.js';
import { canaryPercent, formatWeights, ROLLED_BACK, sameWeights, stepsAhead, type Weights, weightsAt } from './steps.js';
import { type Bounds, describePass, type Failure, judge, type Measurement } from './verdict.js';

export interface RolloutPlan {
  /** Canary shares in percent, rising, ending at 100. */
  steps: readonly number[];
  /** How long each step runs before the canary is judged. */
  intervalMs: number;
  bounds: Bounds;
}

/** What the rollout reads and writes: the route's weights, the canary's figures, and its own record. */
export interface RolloutIo {
  readWeights(): Promise<Weights>;
  writeWeights(weights: Weights): Promise<void>;
  /** The canary's figures over the window; null when the API has none for it. */
  measure(signal: AbortSignal): Promise<Measurement | null>;
  /** Prints and records one decision; called once per decision, in order. */
  record(event: RolloutEvent): Promise<void>;
  /** Waits `ms`; rejects when `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  now(): Date;
}

/**
 * Runs a rollout to its end and returns the last decision: `promoted` (the canary takes 100%), `rolled-back` (it
 * broke a bound, or could not be judged, and was set to 0% at once), `stopped` (`signal` aborted: weights left as
 * they were), or `conflict` (the weights changed outside the rollout, which then stops without writing).
 *
 * Each step but a first one from 0% waits `intervalMs`, then judges the canary by its figures and writes the next
 * weights only when it is within every bound. The route is read again before every write, so an operator's edit (or
 * `meshviz rollout abort`) is never overwritten.
 */
export async function runRollout(plan: RolloutPlan, io: RolloutIo, signal: AbortSignal): Promise<RolloutEvent> {
  let current = await io.readWeights();
  const emit = async (verdict: RolloutVerdict, fields: Partial<RolloutEvent> & { reason: string }): Promise<RolloutEvent> => {
    const event: RolloutEvent = { time: io.now().toISOString(), verdict, step: null, weights: current, written: false, measured: null, ...fields };
    await io.record(event);
    return event;
  };
  const stopped = () =>
    emit('stopped', { reason: `stopped by Ctrl-C; the route keeps its weights ${formatWeights(current)} (stable/canary)` });
  /** The weights as they are in the file, when they are no longer what this rollout last saw or wrote. */
  const changedOutside = async (): Promise<RolloutEvent | null> => {
    const found = await io.readWeights();
    if (sameWeights(found, current)) return null;
    return emit('conflict', {
      weights: found,
      reason: `the route's weights changed outside this rollout (from ${formatWeights(current)} to ${formatWeights(found)}); stopped without writing`,
    });
  };
  const rollBack = async (measured: Measurement | null, failures: Failure[]): Promise<RolloutEvent> => {
    await io.writeWeights(ROLLED_BACK);
    current = ROLLED_BACK;
    return emit('rolled-back', { written: true, measured, failures, reason: `rolled back to 0%: ${failures.map((f) => f.message).join('; ')}` });
  };

  const startPercent = canaryPercent(current);
  const ahead = stepsAhead(plan.steps, startPercent);
  const start = await emit('start', {
    reason: `the canary takes ${formatPercent(startPercent)}; steps ahead: ${ahead.map((s) => `${s.percent}%`).join(', ') || 'none'}`,
  });
  if (ahead.length === 0) return emit('promoted', { reason: 'the canary already takes all the traffic' });

  let last = start;
  for (const step of ahead) {
    let measured: Measurement | null = null;
    let reason = 'the canary takes no traffic yet: nothing to judge before the first step';
    if (canaryPercent(current) > 0) {
      try {
        await io.sleep(plan.intervalMs, signal);
      } catch (err) {
        if (signal.aborted) return stopped();
        throw err;
      }
      const conflict = await changedOutside();
      if (conflict) return conflict;
      try {
        measured = await io.measure(signal);
      } catch (err) {
        if (signal.aborted) return stopped();
        const message = `the canary's figures could not be read (${(err as Error).message})`;
        return rollBack(null, [{ metric: 'measurement', value: null, message }]);
      }
      const failures = judge(measured, plan.bounds);
      if (failures.length > 0) return rollBack(measured, failures);
      reason = describePass(measured as Measurement, plan.bounds);
    }
    if (signal.aborted) return stopped();
    const conflict = await changedOutside();
    if (conflict) return conflict;
    const next = weightsAt(step.percent);
    await io.writeWeights(next);
    current = next;
    const verdict = step.percent === 100 ? 'promoted' : 'advance';
    last = await emit(verdict, { step: step.index, written: true, measured, reason: `${reason}; the canary now takes ${step.percent}%` });
  }
  return last;
}

const formatPercent = (p: number): string => `${Number.isInteger(p) ? p : p.toFixed(2)}%`;
