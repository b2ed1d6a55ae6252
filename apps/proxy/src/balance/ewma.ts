import { OUTBOUND_DEFAULTS } from '@meshviz/mesh-types';

/**
 * A peak-EWMA estimate of one endpoint's round-trip time, in milliseconds. A sample slower than the estimate
 * replaces it at once (the peak), so an endpoint that turns slow is avoided from its next answer on; otherwise the
 * estimate moves towards the sample with a weight that grows with the time since the last update, and decays
 * towards zero while nothing is heard, so an endpoint that was slow once is tried again after a while. No timer: the
 * decay is computed from timestamps when the estimate is read.
 */
export class PeakEwma {
  private estimate: number;
  private stamp: number;

  constructor(
    now: number,
    initialMs: number = OUTBOUND_DEFAULTS.ewmaDefaultRttMs,
    private readonly decayMs: number = OUTBOUND_DEFAULTS.ewmaDecayMs,
  ) {
    this.estimate = initialMs;
    this.stamp = now;
  }

  /** The estimate at `now`. */
  current(now: number): number {
    const elapsed = now - this.stamp;
    return elapsed <= 0 ? this.estimate : this.estimate * Math.exp(-elapsed / this.decayMs);
  }

  /** Takes one sample measured at `now`. */
  observe(rttMs: number, now: number): void {
    const elapsed = Math.max(0, now - this.stamp);
    const decay = Math.exp(-elapsed / this.decayMs);
    const decayed = this.estimate * decay;
    this.estimate = rttMs > decayed ? rttMs : decayed + rttMs * (1 - decay);
    this.stamp = now;
  }
}
