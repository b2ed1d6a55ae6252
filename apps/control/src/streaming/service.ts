import type { Logger } from 'pino';
import type { ReloadResult } from '../metrics.js';
import type { Catalog, CatalogLoad } from './catalog.js';
import type { StreamServer } from './server.js';
import { watchSources } from './watch.js';

export interface StreamingService<V> {
  readonly address: string;
  readonly catalog: Catalog<V>;
  ready(): boolean;
  /** Loads now (tests; the watcher does it on change). */
  reload(): Promise<void>;
  close(): Promise<void>;
}

/** Settle time for a burst of file events (an editor's save). */
const SETTLE_MS = 50;

/**
 * A streaming service's life, the same for policy and destinations: load once, serve, and load again on every
 * change of the sources — a change reaches the open streams within a second; a refused load keeps the last good one.
 */
export async function startStreamingService<V>(spec: {
  /** For the log (`policy`, `destinations`). */
  name: string;
  catalog: Catalog<V>;
  load: () => Promise<CatalogLoad<V>>;
  sources: { dir: string | undefined; files: readonly string[]; pollIntervalMs: number };
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
  const watcher = watchSources({ name: spec.name, ...spec.sources, settleMs: SETTLE_MS, log: spec.log }, reload);
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
