import type { Logger } from 'pino';

/** What one load gave: every entry (keyed, e.g. by workload), or why the load was refused. */
export type CatalogLoad<V> = { ok: true; entries: Map<string, V>; warnings: string[] } | { ok: false; errors: string[] };

/** An entry in force and the revision of the load that last changed it. */
export interface CatalogEntry<V> {
  readonly value: V;
  readonly revision: number;
}

export type CatalogListener<V> = (entry: CatalogEntry<V>) => void;

/** The log lines of one streaming service (`policy refused; the last good policy stays in force`, …). */
export interface CatalogMessages {
  readonly refused: string;
  readonly warning: string;
  readonly loaded: string;
}

/**
 * What a streaming service serves, and who streams each entry. A load replaces every entry at once or none: a
 * refused load (any error in any file) leaves the last good entries in force, so nothing is half-applied. The
 * revision grows with every load that changed something; only the listeners of changed entries are told.
 */
export class Catalog<V> {
  private revision = 0;
  private readonly entries = new Map<string, CatalogEntry<V> & { text: string }>();
  private readonly listeners = new Map<string, Set<CatalogListener<V>>>();
  private lastErrors: string[] = [];
  private loaded = false;

  constructor(
    private readonly log: Logger,
    private readonly messages: CatalogMessages,
  ) {}

  /** True once a load has succeeded. */
  ready(): boolean {
    return this.loaded;
  }

  currentRevision(): number {
    return this.revision;
  }

  /** The errors of the last refused load, until a later load succeeds. */
  errors(): readonly string[] {
    return this.lastErrors;
  }

  get(key: string): CatalogEntry<V> | undefined {
    const entry = this.entries.get(key);
    return entry && { value: entry.value, revision: entry.revision };
  }

  /** Applies a load; returns the keys of the entries that changed (empty when refused or unchanged). */
  apply(load: CatalogLoad<V>): string[] {
    if (!load.ok) {
      this.lastErrors = load.errors;
      for (const error of load.errors) this.log.error({ error }, this.messages.refused);
      return [];
    }
    this.lastErrors = [];
    for (const warning of load.warnings) this.log.warn({ warning }, this.messages.warning);
    const changed: string[] = [];
    const texts = new Map<string, string>();
    for (const [key, value] of load.entries) {
      const text = JSON.stringify(value);
      texts.set(key, text);
      if (this.entries.get(key)?.text !== text) changed.push(key);
    }
    const removed = [...this.entries.keys()].filter((key) => !load.entries.has(key));
    const first = !this.loaded;
    this.loaded = true;
    if (changed.length === 0 && removed.length === 0 && !first) return [];
    this.revision += 1;
    for (const key of removed) this.entries.delete(key);
    for (const key of changed) {
      this.entries.set(key, { value: load.entries.get(key)!, revision: this.revision, text: texts.get(key)! });
    }
    this.log.info({ revision: this.revision, changed: changed.length, removed: removed.length }, this.messages.loaded);
    for (const key of changed) {
      const entry = this.get(key)!;
      for (const listener of this.listeners.get(key) ?? []) listener(entry);
    }
    return changed;
  }

  /** Calls `listener` with every later change of the entry; returns the unsubscribe function. */
  subscribe(key: string, listener: CatalogListener<V>): () => void {
    let set = this.listeners.get(key);
    if (!set) {
      set = new Set();
      this.listeners.set(key, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(key);
    };
  }

  /** Open streams, for the metrics. */
  streams(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }
}
