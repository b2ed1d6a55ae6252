import type { RolloutView } from '@meshviz/mesh-types';

export type StepState = 'done' | 'current' | 'next' | 'skipped';

export interface StepView {
  /** The canary's share at this step, in percent. */
  percent: number;
  state: StepState;
}

/**
 * The plan's steps as the record shows them: done (the rollout wrote it and moved on), current (the weights the
 * route has now, while running), next (not reached yet) or skipped (the rollout ended before it: rolled back,
 * aborted, stopped).
 */
export function stepsOf(rollout: RolloutView): StepView[] {
  const steps = rollout.plan?.steps ?? [];
  const written = rollout.events.filter((e) => e.step !== null && e.written).map((e) => e.step as number);
  const last = Math.max(0, ...written);
  const running = rollout.phase === 'running';
  return steps.map((percent, i): StepView => {
    const place = i + 1;
    if (place < last) return { percent, state: 'done' };
    if (place === last) return { percent, state: running ? 'current' : 'done' };
    return { percent, state: running ? 'next' : 'skipped' };
  });
}

/** When the next decision is due (epoch ms), while the rollout runs and its process lives; null otherwise. */
export function nextDecisionAt(rollout: RolloutView): number | null {
  if (rollout.phase !== 'running' || rollout.runnerGone || !rollout.plan) return null;
  const last = rollout.events.at(-1);
  return last ? Date.parse(last.time) + rollout.plan.intervalMs : null;
}

/** What a phase means, in a few words, for the badge's title. */
export const PHASE_TEXT: Record<RolloutView['phase'], string> = {
  running: 'running: the canary gets the next step while it stays within bounds',
  promoted: 'promoted: the canary takes all of the traffic',
  'rolled-back': 'rolled back: the canary broke a bound and gets nothing again',
  stopped: 'stopped (Ctrl-C): the weights were left as they were',
  conflict: 'stopped: the weights were changed outside the rollout',
  aborted: 'aborted: meshviz rollout abort gave the canary nothing',
  error: 'stopped on an error: the last decision says why',
};
