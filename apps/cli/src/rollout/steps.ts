/** The two backends' weights in the route: what the proxies split the route's requests by. */
export interface Weights {
  stable: number;
  canary: number;
}

/** Canary shares (percent) a rollout passes through when --steps is not given. */
export const DEFAULT_STEPS: readonly number[] = [5, 10, 25, 50, 100];

/** A step of the plan: its place (1-based) among all the steps, and the canary's share there. */
export interface PlannedStep {
  index: number;
  percent: number;
}

/** `5,10,25,50,100` → the canary shares in percent: whole numbers 1..100, rising, the last one 100. */
export function parseSteps(text: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  const steps = parts.map((part) => {
    if (!/^\d+$/.test(part)) throw new Error(`"${part}" is not a whole percentage; give steps such as 5,10,25,50,100`);
    const percent = Number(part);
    if (percent < 1 || percent > 100) throw new Error(`${percent} is not between 1 and 100`);
    return percent;
  });
  steps.forEach((percent, i) => {
    const before = steps[i - 1];
    if (before !== undefined && percent <= before) throw new Error(`steps must rise: ${percent} comes after ${before}`);
  });
  if (steps.at(-1) !== 100) throw new Error('the last step must be 100: a rollout ends with the canary taking all the traffic');
  return steps;
}

/** The canary's share of the two backends' traffic, in percent (0 when both weigh 0). */
export function canaryPercent(w: Weights): number {
  const total = w.stable + w.canary;
  return total === 0 ? 0 : (w.canary / total) * 100;
}

/**
 * The steps still ahead of a canary that already takes `currentPercent`: a rollout never moves traffic back to the
 * stable backend except by rolling back, so steps at or below the current share are skipped.
 */
export function stepsAhead(steps: readonly number[], currentPercent: number): PlannedStep[] {
  return steps.map((percent, i) => ({ index: i + 1, percent })).filter((s) => s.percent > currentPercent);
}

/** The weights that give the canary `percent` of the traffic (they add up to 100). */
export function weightsAt(percent: number): Weights {
  return { stable: 100 - percent, canary: percent };
}

export const ROLLED_BACK: Weights = weightsAt(0);

export const sameWeights = (a: Weights, b: Weights): boolean => a.stable === b.stable && a.canary === b.canary;

/** `90/10`: stable first, as the table prints them. */
export const formatWeights = (w: Weights): string => `${w.stable}/${w.canary}`;
