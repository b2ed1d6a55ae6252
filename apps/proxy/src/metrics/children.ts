export type Labels = Record<string, string>;

/** The part of a prom-client metric the cache needs: bind a child to labels, and forget it again. */
export interface LabelledMetric<C> {
  labels(labels: Labels): C;
  remove(labels: Labels): void;
}

interface Entry<C> {
  readonly labels: Labels;
  readonly child: C;
  lastUsed: number;
}

/**
 * Bound label children of one metric, cached by a key the caller builds cheaply, so the hot path never builds
 * label objects. Children unused since a cutoff are removed from the metric, which keeps /metrics bounded as
 * endpoints, routes and authorities come and go (docs/architecture.md).
 */
export class Children<C> {
  private readonly entries = new Map<string | number, Entry<C>>();

  constructor(private readonly metric: LabelledMetric<C>) {}

  /** The child for `key`; `labels` is only called the first time a key is seen. */
  get(key: string | number, labels: () => Labels): C {
    return this.find(key) ?? this.add(key, labels());
  }

  /** The child for `key` if there is one (the hot path: no closure, no label object). */
  find(key: string | number): C | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    entry.lastUsed = performance.now();
    return entry.child;
  }

  /** Binds a child for a key `find` did not know. */
  add(key: string | number, labels: Labels): C {
    const entry = { labels, child: this.metric.labels(labels), lastUsed: performance.now() };
    this.entries.set(key, entry);
    return entry.child;
  }

  /** Removes children last used before `cutoff`; returns true when none is left. */
  sweep(cutoff: number): boolean {
    for (const [key, entry] of this.entries) {
      if (entry.lastUsed < cutoff) {
        this.metric.remove(entry.labels);
        this.entries.delete(key);
      }
    }
    return this.entries.size === 0;
  }
}

/** An entry of SweptEntries: removes what it has not used since `cutoff`, and says whether it is now empty. */
export interface Sweepable {
  sweep(cutoff: number): boolean;
}

/**
 * Series entries keyed by their label values, swept on a timer: an entry idle for `idleTimeoutMs` is dropped,
 * so a series lives at most ~1.5 idle timeouts after its last use. Shared by the http, route and tcp families.
 */
export class SweptEntries<E extends Sweepable> {
  private readonly entries = new Map<string, E>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly idleTimeoutMs: number) {
    // Sweep often enough to honour the timeout, but never busy-loop.
    const every = Math.min(Math.max(idleTimeoutMs / 2, 50), 60_000);
    this.sweeper = setInterval(() => this.sweep(performance.now()), every).unref();
  }

  /** The entry for `key`; `create` is only called the first time a key is seen. */
  get(key: string, create: () => E): E {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = create();
      this.entries.set(key, entry);
    }
    return entry;
  }

  values(): IterableIterator<E> {
    return this.entries.values();
  }

  /** Removes entries idle since before `now - idleTimeout`. Public so tests can drive it. */
  sweep(now: number): void {
    const cutoff = now - this.idleTimeoutMs;
    for (const [key, entry] of this.entries) {
      if (entry.sweep(cutoff)) this.entries.delete(key);
    }
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}
