/**
 * Token bucket on requests: full at the start (a subscriber sees up to one second's worth at once), refilled
 * continuously at `perSecond`. Times are performance.now() milliseconds, passed in so tests can drive them.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    now: number = performance.now(),
  ) {
    this.tokens = perSecond;
    this.last = now;
  }

  /** Takes one token if there is one. */
  take(now: number = performance.now()): boolean {
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.perSecond, this.tokens + (elapsed * this.perSecond) / 1000);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
