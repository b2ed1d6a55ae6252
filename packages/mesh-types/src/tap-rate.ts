/** The span max_rps is counted over. */
const WINDOW_MS = 1_000;

/**
 * How tap counts max_rps, the same in the proxy (per subscription) and in the tap service (per session): at most
 * `perSecond` admissions in any window of one second. It keeps a ring of the last `perSecond` admission times and
 * admits a new one once the oldest of them is a full second old. A token bucket would let a full bucket and a
 * second's refill through in the same second; this holds the cap over every window, which is what a tap client
 * counts. Times are milliseconds (performance.now()), passed in so tests can drive them.
 */
export class RateWindow {
  private readonly times: Float64Array;
  /** Where the next admission is written: the oldest one once the ring is full. */
  private oldest = 0;
  private filled = 0;

  constructor(private readonly perSecond: number) {
    if (!Number.isInteger(perSecond) || perSecond < 1) throw new RangeError(`rate must be a positive integer, got ${perSecond}`);
    this.times = new Float64Array(perSecond);
  }

  /** Admits one if that keeps the last second within the rate. */
  take(now: number = performance.now()): boolean {
    if (this.filled < this.perSecond) this.filled += 1;
    else if (now - (this.times[this.oldest] ?? 0) < WINDOW_MS) return false;
    this.times[this.oldest] = now;
    this.oldest = (this.oldest + 1) % this.perSecond;
    return true;
  }
}
