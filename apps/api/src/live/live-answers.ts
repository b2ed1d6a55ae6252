/**
 * Live answers computed once per refresh interval and shared by every caller.
 *
 * A call for the current instant (no `at`) of an expensive answer — the whole mesh's stats, the topology — is
 * served from the last computation of its key, which this class repeats in the background once per refresh
 * interval for as long as the key is asked for:
 * - the first call of a key starts its first computation and waits for it; calls that arrive meanwhile join it, so
 *   one key never has two computations at once;
 * - an answer is served while it is at most one interval old, or while the next one is being computed: it is never
 *   older than one refresh interval plus one computation;
 * - a failed computation drops the answer, so the callers waiting for it and the next ones get the store's error
 *   (the next caller starts a computation of its own, as a call without snapshots would), never older numbers;
 * - a key nobody asked for during `idleMs` is dropped at its next refresh: an idle API costs the store nothing.
 */

import type { ScrapeInterval } from '../prometheus/client.js';

/** A key not asked for during this long stops being refreshed. */
export const LIVE_IDLE_MS = 3 * 60_000;
/** Keys refreshed at once at most; calls of further keys are computed one by one, as with `at`. */
export const LIVE_MAX_KEYS = 64;

interface Entry {
  /** Milliseconds between two evaluation instants of this key. */
  intervalMs: number;
  compute: (at: Date) => Promise<unknown>;
  /** The last answer and the instant (epoch ms) it was evaluated at. */
  current?: { value: unknown; asOf: number };
  running?: Promise<unknown>;
  lastAsked: number;
  timer?: NodeJS.Timeout;
}

export interface LiveOptions {
  /**
   * Milliseconds between two evaluation instants of a key, from the store's scrape interval at its first call;
   * null: no live answer for it (every call computes its own).
   */
  intervalMs: (scrape: ScrapeInterval) => number | null;
  idleMs?: number;
  maxKeys?: number;
  /** The current instant, epoch ms (Date.now; tests over a live store evaluate a settled past instead). */
  clock?: () => number;
}

export class LiveAnswers {
  private readonly entries = new Map<string, Entry>();
  private closed = false;
  /** Computations started, background refreshes included (for tests and the benchmark). */
  computations = 0;

  constructor(private readonly o: LiveOptions) {}

  /**
   * The live answer of `key`, computed by `compute` at the instant it is given. undefined when live answers are
   * off, or `key` is new and LIVE_MAX_KEYS keys are already refreshed: the caller then computes it itself.
   * `compute` must depend on nothing but the key: the first call's is kept for the refreshes.
   */
  get<T>(key: string, scrape: ScrapeInterval, compute: (at: Date) => Promise<T>): Promise<T> | undefined {
    if (this.closed) return undefined;
    const now = Date.now();
    let e = this.entries.get(key);
    if (!e) {
      const intervalMs = this.o.intervalMs(scrape);
      if (intervalMs === null || this.entries.size >= (this.o.maxKeys ?? LIVE_MAX_KEYS)) return undefined;
      e = { intervalMs, compute, lastAsked: now };
      this.entries.set(key, e);
    }
    e.lastAsked = now;
    const current = e.current;
    if (current && (now - current.asOf <= e.intervalMs || e.running)) return Promise.resolve(current.value as T);
    return this.refresh(key, e) as Promise<T>;
  }

  /** Keys being refreshed now. */
  get size(): number {
    return this.entries.size;
  }

  /** Stops every refresh (the app's onClose). */
  close(): void {
    this.closed = true;
    for (const e of this.entries.values()) clearTimeout(e.timer);
    this.entries.clear();
  }

  private refresh(key: string, e: Entry): Promise<unknown> {
    if (e.running) return e.running;
    clearTimeout(e.timer);
    const asOf = (this.o.clock ?? Date.now)();
    this.computations++;
    const running = e
      .compute(new Date(asOf))
      .then(
        (value) => {
          e.current = { value, asOf };
          return value;
        },
        (err: unknown) => {
          e.current = undefined;
          throw err;
        },
      )
      .finally(() => {
        e.running = undefined;
        this.schedule(key, e, asOf);
      });
    e.running = running;
    // A background refresh has no caller; a failure is kept as "no answer", and the next caller meets it.
    running.catch(() => {});
    return running;
  }

  /** The next refresh one interval after the last evaluation instant (at once when computing took longer). */
  private schedule(key: string, e: Entry, asOf: number): void {
    if (this.closed || this.entries.get(key) !== e) return;
    e.timer = setTimeout(
      () => {
        if (Date.now() - e.lastAsked > (this.o.idleMs ?? LIVE_IDLE_MS)) {
          this.entries.delete(key);
          return;
        }
        void this.refresh(key, e);
      },
      Math.max(0, asOf + e.intervalMs - Date.now()),
    );
    e.timer.unref();
  }
}
