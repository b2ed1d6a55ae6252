import { DESTINATION_STREAM_PATH, DestinationStreamMessage } from '@meshviz/mesh-types';
import type { HostPort } from '@meshviz/runtime';
import type { Logger } from 'pino';
import { type ControlStream, parseLine, startControlStream } from '../control/stream-client.js';
import type { LocalIdentity } from '../identity/local-identity.js';
import type { DestinationsTable } from './destinations.js';

export interface DestinationStreamOptions {
  readonly addr: HostPort;
  /** The identity the destination service must present. */
  readonly serverName: string;
  readonly identity: LocalIdentity;
  readonly table: DestinationsTable;
  readonly log: Logger;
  /** Called after each table from the stream is in force. */
  readonly onTable?: (revision: number) => void;
  /** Backoff and silence limits; POLICY_DEFAULTS unless a test shortens them. */
  readonly reconnectMinMs?: number;
  readonly reconnectMaxMs?: number;
  readonly idleMs?: number;
}

/** A table line longer than this is refused: the whole mesh's discovery fits many times over. */
export const MAX_DESTINATIONS_LINE_BYTES = 16 * 1024 * 1024;

/**
 * The proxy's client of the control plane's destination stream: `GET <DESTINATION_STREAM_PATH>` over the shared
 * NDJSON-over-mTLS client. Each `destinations` message is the whole table: it is built (routes and matches
 * compiled, endpoints parsed) and swapped in, keeping the balancer state of endpoints that remain; a heartbeat only
 * proves the stream alive. A message that is not JSON, not the schema, or that does not build (a bad authority,
 * address or regular expression) is logged with what was wrong, the table in force stays, and the stream is opened
 * again. The last table received keeps serving while the service is unreachable.
 */
export function startDestinationStream(options: DestinationStreamOptions): ControlStream {
  const { addr, table } = options;
  const log = options.log.child({ component: 'destination-stream', destinationService: `${addr.host}:${addr.port}` });
  let revision = -1;

  const onLine = (line: string): string | undefined => {
    const parsed = parseLine(line, DestinationStreamMessage, 'DestinationStreamMessage');
    if ('problem' in parsed) return parsed.problem;
    const { message } = parsed;
    if (message.type === 'heartbeat') return undefined;
    let warnings: string[];
    try {
      warnings = table.replace(message.destinations);
    } catch (error) {
      return `destinations revision ${message.revision}: ${(error as Error).message}`;
    }
    for (const warning of warnings) log.warn({ revision: message.revision, problem: warning }, 'destination stream: a route backend is not in discovery');
    if (message.revision !== revision) log.info({ revision: message.revision, services: table.size }, 'destinations in force');
    revision = message.revision;
    options.onTable?.(message.revision);
    return undefined;
  };

  return startControlStream({
    addr,
    serverName: options.serverName,
    path: DESTINATION_STREAM_PATH,
    identity: options.identity,
    log,
    wording: { service: 'destination service', stream: 'destination stream', kept: 'the current destinations' },
    maxLineBytes: MAX_DESTINATIONS_LINE_BYTES,
    onLine,
    reconnectMinMs: options.reconnectMinMs,
    reconnectMaxMs: options.reconnectMaxMs,
    idleMs: options.idleMs,
  });
}
