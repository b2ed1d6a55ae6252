import { type KubeConfig, type KubernetesObject, ListWatch } from '@kubernetes/client-node';
import { BookmarkWatch } from './bookmark-watch.js';
import type { ResourceKind } from './resources.js';

export type CacheEvent = 'add' | 'update' | 'delete';
export type CacheListener<T> = (object: T) => void;

export interface ResourceCacheOptions {
  /** Told of every failed list or dropped watch (the cache retries by itself). */
  readonly onError?: (error: Error, kind: string) => void;
  /** First retry delay after a failure; doubles up to `maxRetryMs`. */
  readonly minRetryMs?: number;
  readonly maxRetryMs?: number;
}

const DEFAULT_MIN_RETRY_MS = 200;
const DEFAULT_MAX_RETRY_MS = 5_000;

/**
 * One kind's objects, kept current by list/watch (the library's ListWatch): list once, then watch from the list's
 * resourceVersion, bookmarks honoured. A watch the server ends is resumed from the last resourceVersion seen; a
 * resourceVersion the server no longer has (410 Gone, as a status or an ERROR event) makes it list again, and the
 * objects missing from the new list are reported deleted. A failed list or a dropped connection — which the library
 * reports and then gives up on — is retried here with a doubling delay, resuming from the last resourceVersion.
 */
export class ResourceCache<T extends KubernetesObject> {
  private readonly informer: ListWatch<T>;
  private readonly changeListeners = new Set<() => void>();
  private readonly syncWaiters = new Set<() => void>();
  private retryMs: number;
  private retryTimer: NodeJS.Timeout | undefined;
  private failed = false;
  private isSynced = false;
  private stopped = false;

  constructor(
    kc: KubeConfig,
    readonly kind: ResourceKind<T>,
    private readonly options: ResourceCacheOptions = {},
  ) {
    this.retryMs = options.minRetryMs ?? DEFAULT_MIN_RETRY_MS;
    this.informer = new ListWatch<T>(kind.path, new BookmarkWatch(kc), () => kind.list(kc), false);
    const changed = () => {
      for (const listener of this.changeListeners) listener();
    };
    this.informer.on('add', changed);
    this.informer.on('update', changed);
    this.informer.on('delete', changed);
    this.informer.on('error', (error: unknown) => this.failure(error));
  }

  /** Starts listing and watching; resolves once the first list arrived or failed (it is retried either way). */
  async start(): Promise<void> {
    this.stopped = false;
    await this.run();
  }

  /** Resolves when the first list has arrived, or false after `timeoutMs`. */
  whenSynced(timeoutMs: number): Promise<boolean> {
    if (this.isSynced) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.syncWaiters.delete(waiter);
        resolve(ok);
      };
      const waiter = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.syncWaiters.add(waiter);
    });
  }

  /** True once a list has succeeded: from then on the cache holds every object (perhaps slightly behind). */
  synced(): boolean {
    return this.isSynced;
  }

  list(namespace?: string): readonly T[] {
    return this.informer.list(namespace);
  }

  get(name: string, namespace?: string): T | undefined {
    return this.informer.get(name, namespace);
  }

  /** The resourceVersion the next watch resumes from ('' when the next step is a list). */
  resourceVersion(): string {
    return this.informer.latestResourceVersion();
  }

  /** Calls `listener` with each object added, updated or deleted. */
  on(event: CacheEvent, listener: CacheListener<T>): void {
    this.informer.on(event, listener);
  }

  /** Calls `listener` after any add, update or delete, and once when the first list is complete; returns the function that stops it. */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    for (const waiter of [...this.syncWaiters]) waiter();
    await this.informer.stop();
  }

  private async run(): Promise<void> {
    this.failed = false;
    await this.informer.start();
    if (this.failed || this.stopped) return;
    this.retryMs = this.options.minRetryMs ?? DEFAULT_MIN_RETRY_MS;
    if (!this.isSynced) {
      this.isSynced = true;
      for (const waiter of [...this.syncWaiters]) waiter();
      // Complete for the first time: news even when the list was empty (no add came).
      for (const listener of this.changeListeners) listener();
    }
  }

  private failure(error: unknown): void {
    // Stopping aborts the watch, which the library reports as an error: not one.
    if (this.stopped) return;
    this.failed = true;
    const err = error instanceof Error ? error : new Error(describe(error));
    this.options.onError?.(err, this.kind.name);
    clearTimeout(this.retryTimer);
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, this.options.maxRetryMs ?? DEFAULT_MAX_RETRY_MS);
    this.retryTimer = setTimeout(() => void this.run(), delay);
    this.retryTimer.unref();
  }
}

function describe(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { statusCode, code, message } = error as { statusCode?: unknown; code?: unknown; message?: unknown };
    const status = statusCode ?? code;
    return `${typeof message === 'string' ? message : 'request failed'}${status !== undefined ? ` (${String(status)})` : ''}`;
  }
  return String(error);
}
