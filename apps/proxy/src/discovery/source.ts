import type { Logger } from 'pino';
import type { ProxyConfig } from '../config.js';
import type { LocalIdentity } from '../identity/local-identity.js';
import type { DestinationsTable } from './destinations.js';
import { startDestinationStream } from './stream.js';
import { type DestinationsFileWatch, watchDestinationsFile } from './watch.js';

export interface DiscoverySource {
  close(): void;
}

/**
 * Feeds the outbound side's table from where the configuration says. The destination stream when
 * PROXY_DESTINATION_SVC_ADDR is set (and identity with it); the destinations file when PROXY_DESTINATIONS_FILE is.
 * With both, the file serves until the stream's first table and is then no longer followed: the control plane
 * knows better, and two sources taking turns would make the table flap. With neither, the table stays empty and
 * every outbound request goes to its Host directly.
 */
export function openDiscovery(
  config: Pick<ProxyConfig, 'destinationsFile' | 'destinationService'>,
  table: DestinationsTable,
  deps: { readonly identity: LocalIdentity | undefined; readonly log: Logger; readonly pollMs?: number | undefined },
): DiscoverySource {
  const { log, identity } = deps;
  const service = config.destinationService;
  let file: DestinationsFileWatch | undefined =
    config.destinationsFile === undefined ? undefined : watchDestinationsFile(config.destinationsFile, table, log, deps.pollMs);
  if (!service && !file) log.info('no destinations file nor destination service: every outbound request goes to its Host directly');
  const stream =
    service && identity
      ? startDestinationStream({
          addr: service.addr,
          serverName: service.name,
          identity,
          table,
          log,
          onTable: () => {
            if (!file) return;
            file.close();
            file = undefined;
            log.info({ destinationsFile: config.destinationsFile }, 'destinations now come from the destination service; the destinations file is no longer followed');
          },
        })
      : undefined;
  return {
    close: () => {
      file?.close();
      stream?.stop();
    },
  };
}
