import { fmtMs, fmtPercent } from '../table.js';

/** What the canary must show to be given more traffic. */
export interface Bounds {
  /** Lowest acceptable share of successful responses, 0..1. */
  minSuccessRate: number;
  /** Highest acceptable 99th percentile latency, in milliseconds. */
  maxP99Ms: number;
}

/** The canary's figures over the window, as the API answered them; null: no data in the window. */
export interface Measurement {
  rps: number | null;
  successRate: number | null;
  p99Ms: number | null;
}

/** traffic: none to judge by; measurement: the figures could not be read. */
export type FailedMetric = 'traffic' | 'success-rate' | 'p99' | 'measurement';

/** A bound the canary did not keep: which metric, its value (null: none measured), and why it fails. */
export interface Failure {
  metric: FailedMetric;
  value: number | null;
  message: string;
}

/**
 * Judges the canary by its measurement: an empty list means it is within every bound. A canary the API has no row
 * for (`null`), or one that answered nothing in the window, cannot be judged and fails: a rollout only advances on
 * evidence.
 */
export function judge(measured: Measurement | null, bounds: Bounds): Failure[] {
  if (measured === null) return [{ metric: 'traffic', value: null, message: 'the API has no figures for the canary: it is not meshed, or answered no request in the window' }];
  if (measured.rps === null || measured.rps === 0 || measured.successRate === null) {
    return [{ metric: 'traffic', value: measured.rps, message: 'the canary answered no request in the window: nothing to judge it by' }];
  }
  const failures: Failure[] = [];
  if (measured.successRate < bounds.minSuccessRate) {
    failures.push({
      metric: 'success-rate',
      value: measured.successRate,
      message: `success rate ${fmtPercent(measured.successRate)} is below the minimum ${fmtPercent(bounds.minSuccessRate)}`,
    });
  }
  if (measured.p99Ms === null) {
    failures.push({ metric: 'p99', value: null, message: 'no p99 latency was measured in the window' });
  } else if (measured.p99Ms > bounds.maxP99Ms) {
    failures.push({ metric: 'p99', value: measured.p99Ms, message: `p99 ${fmtMs(measured.p99Ms)} is above the maximum ${fmtMs(bounds.maxP99Ms)}` });
  }
  return failures;
}

/** How a passing measurement is described in the log: each figure beside its bound. */
export function describePass(measured: Measurement, bounds: Bounds): string {
  return `within bounds: success rate ${fmtPercent(measured.successRate)} ≥ ${fmtPercent(bounds.minSuccessRate)}, p99 ${fmtMs(measured.p99Ms)} ≤ ${fmtMs(bounds.maxP99Ms)}`;
}
