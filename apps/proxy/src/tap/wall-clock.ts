/**
 * Wall-clock times (unix ms) of moments taken on the monotonic clock (`performance.now()`), for tap events that
 * users line up with other systems' logs. `performance.timeOrigin + t` is not good enough: Node samples the wall
 * clock for timeOrigin apart from the monotonic clock's zero, and on a busy host the two are milliseconds to tens
 * of milliseconds apart from the start. Instead the offset between the clocks is measured (Date.now() - now,
 * within Date.now()'s 1 ms), kept while it holds so that the spacing of events stays exactly as measured, and
 * measured again when the wall clock has moved away from it by more than `stepMs` (the host's clock was set).
 */
export class WallClock {
  private offset: number | undefined;
  private checkedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly monotonic: () => number = () => performance.now(),
    private readonly wall: () => number = Date.now,
    private readonly checkEveryMs = 1_000,
    private readonly stepMs = 10,
  ) {}

  /** Unix milliseconds of the monotonic moment `t`. */
  at(t: number): number {
    const now = this.monotonic();
    if (this.offset === undefined || now - this.checkedAt >= this.checkEveryMs) {
      this.checkedAt = now;
      const measured = this.wall() - now;
      if (this.offset === undefined || Math.abs(measured - this.offset) > this.stepMs) this.offset = measured;
    }
    return this.offset + t;
  }
}
