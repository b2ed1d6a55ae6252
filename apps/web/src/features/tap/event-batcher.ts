/**
 * Collects items that arrive faster than the screen should change (1000 tapped requests a second is 3000 events)
 * and hands them over in batches, at most once per interval: one React update per batch instead of one per event.
 * Timers rather than animation frames, so a hidden tab still drains its buffer (browsers slow timers there, they do
 * not stop them) and memory stays bounded.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** 10 Hz: quick enough to feel live, slow enough to leave the main thread to scrolling. */
export const DEFAULT_FLUSH_INTERVAL_MS = 100;

export class EventBatcher<T> {
  private buffer: T[] = [];
  private timer: unknown = null;
  private lastFlush = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly onFlush: (items: T[]) => void,
    private readonly intervalMs = DEFAULT_FLUSH_INTERVAL_MS,
    private readonly clock: Clock = realClock,
  ) {}

  /** Items waiting for the next flush. */
  get pending(): number {
    return this.buffer.length;
  }

  push(item: T): void {
    this.buffer.push(item);
    if (this.timer !== null) return;
    const wait = Math.max(0, this.lastFlush + this.intervalMs - this.clock.now());
    this.timer = this.clock.setTimeout(() => this.flush(), wait);
  }

  /** Hands over what is buffered now (e.g. before the stream's end is shown). */
  flush(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    if (this.buffer.length === 0) return;
    const items = this.buffer;
    this.buffer = [];
    this.lastFlush = this.clock.now();
    this.onFlush(items);
  }

  /** Drops what is buffered and cancels the timer (the page went away, or a new tap starts). */
  dispose(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.buffer = [];
  }
}
