import { rename, writeFile } from 'node:fs/promises';
import type { DestinationsFile } from '@meshviz/mesh-types';
import type { HostPort } from '@meshviz/runtime';
import type { Logger } from 'pino';
import type { DestinationConfig } from '../config.js';
import { Catalog } from '../streaming/catalog.js';
import { type ServiceDeps, type ServiceFeed, type ServiceIdentity, type StreamingService, startStreamingService, watchFiles } from '../streaming/service.js';
import { startDestinationServer } from './server.js';
import { DESTINATIONS_KEY, loadDestinations } from './source.js';

export type DestinationService = StreamingService<DestinationsFile>;

/**
 * The destination service: loads the discovery table and the outbound resources of the policy directory, compiles
 * them into one table, streams it to every proxy, and reloads on every change of the table, the directory or the
 * workloads — a change reaches the streams within a second; an invalid change is refused whole.
 */
export function startDestinationService(
  config: DestinationConfig,
  identity: ServiceIdentity,
  deps: ServiceDeps,
): Promise<DestinationService> {
  const files = [config.baseFile, ...(config.workloadsFile ? [config.workloadsFile] : [])];
  return serveDestinations(config, identity, deps, {
    load: () => loadDestinations({ baseFile: config.baseFile, dir: config.dir, workloadsFile: config.workloadsFile }),
    watch: watchFiles('destinations', { dir: config.dir, files, pollIntervalMs: config.pollIntervalMs }, deps.log),
  });
}

/** The destination service over any feed: serves the table, reloads on the feed's changes, publishes it. */
export function serveDestinations(
  config: { listen: HostPort; publishFile: string | undefined },
  identity: ServiceIdentity,
  deps: ServiceDeps,
  feed: ServiceFeed<DestinationsFile>,
): Promise<DestinationService> {
  const { log, metrics } = deps;
  const catalog = new Catalog<DestinationsFile>(log, {
    refused: 'destinations refused; the last good table stays in force',
    warning: 'destinations warning',
    loaded: 'destinations loaded',
  });
  metrics.destinationStreams(() => catalog.streams());
  let published = -1;
  return startStreamingService({
    name: 'destinations',
    catalog,
    load: feed.load,
    watch: feed.watch,
    reloaded: (result, revision) => {
      metrics.destinationReloaded(result, revision);
      if (result === 'ok' && config.publishFile && revision !== published) {
        const entry = catalog.get(DESTINATIONS_KEY);
        if (entry) {
          published = revision;
          void publish(config.publishFile, entry.value, log);
        }
      }
    },
    startServer: () => startDestinationServer({ listen: config.listen, trustDomain: identity.trustDomain }, { serving: deps.serving, catalog, log }),
    log,
  });
}

/**
 * Writes the compiled table for readers that do not stream it (the API, which shows each route's configured
 * timeouts, retries and split): temp file and rename, so a reader never sees half a table.
 */
async function publish(file: string, table: DestinationsFile, log: Logger): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temp, `${JSON.stringify(table, null, 2)}\n`);
    await rename(temp, file);
  } catch (error) {
    log.error({ err: { message: (error as Error).message }, file }, 'cannot publish the compiled destinations');
  }
}
