import type { Logger } from 'pino';
import type { ServingSource } from '../identity/serving-cert.js';
import type { ControlMetrics, ReloadResult } from '../metrics.js';
import type { Catalog, CatalogLoad } from './catalog.js';
import type { StreamServer } from './server.js';
import { watchSources } from './watch.js';

/** Settle time for a burst of file events (an editor's save). */
const SETTLE_MS = 50;

/** Watching a directory and files, for the local runtime's services. */
export function watchFiles(
  name: string,
  sources: { dir: string | undefined; files: readonly string[]; pollIntervalMs: number },
  log: Logger,
): (reload: () => Promise<void>) => { close(): void } {
  return (reload) => watchSources({ name, ...sources, settleMs: SETTLE_MS, log }, reload);
}

/** What a streaming service needs of identity: the trust domain its clients must belong to. */
export interface ServiceIdentity {
  trustDomain: string;
}

export interface ServiceDeps {
  /** Where its listener's certificate comes from (the issuer here, or the identity service). */
  serving: ServingSource;
  metrics: ControlMetrics;
  log: Logger;
}

/** Where a streaming service's entries come from: the local runtime's files, or the cluster. */
export interface ServiceFeed<V> {
  load: () => Promise<CatalogLoad<V>>;
  watch: (reload: () => Promise<void>) => { close(): void };
}

export interface StreamingService<V> {
  readonly address: string;
  readonly catalog: Catalog<V>;
  ready(): boolean;
  /** Loads now (tests; the watcher does it on change). */
  reload(): Promise<void>;
  close(): Promise<void>;
}


/**
 * A streaming service's life, the same for policy and destinations: load once, serve, and load again on every
 * change of the sources — a change reaches the open streams within a second; a refused load keeps the last good one.
 */
export async function startStreamingService<V>(spec: {
  /** For the log (`policy`, `destinations`). */
  name: string;
  catalog: Catalog<V>;
  load: () => Promise<CatalogLoad<V>>;
  /** Starts watching the sources, calling `reload` on every change (files: watchSources; a cluster: its caches). */
  watch: (reload: () => Promise<void>) => { close(): void };
  reloaded: (result: ReloadResult, revision: number) => void;
  startServer: () => Promise<StreamServer>;
  log: Logger;
}): Promise<StreamingService<V>> {
  const { catalog } = spec;
  const reload = async () => {
    const load = await spec.load();
    catalog.apply(load);
    spec.reloaded(load.ok ? 'ok' : 'refused', catalog.currentRevision());
  };
  await reload();
  const watcher = spec.watch(reload);
  let server: StreamServer;
  try {
    server = await spec.startServer();
  } catch (error) {
    watcher.close();
    throw error;
  }
  return {
    address: server.address,
    catalog,
    ready: () => server.ready() && catalog.ready(),
    reload,
    close: async () => {
      watcher.close();
      await server.close();
    },
  };
}
