/**
 * Whether request `n` (0-based) of a stream is one of the `share` picked ones, spread evenly: exactly
 * floor(N * share) of the first N requests are picked, e.g. every 10th at 0.1. Deterministic on purpose, so
 * tests and the dashboard can be checked against exact shares.
 *
 * `phase` (0..1) shifts where in each period the picks fall, so two spreads of the same stream need not hit
 * the same requests.
 */
export function isPicked(n: number, share: number, phase = 0): boolean {
  return picksUpTo(n + 1, share, phase) > picksUpTo(n, share, phase);
}

// 0.29 * 100 is 28.999999999999996 in floating point; the nudge keeps whole products whole.
const EPSILON = 1e-9;

function picksUpTo(count: number, share: number, phase: number): number {
  return Math.floor(count * share + phase + EPSILON);
}
