import type { IncomingMessage } from 'node:http';
import {
  DESTINATION_STREAM_PATH,
  type DestinationStreamMessage,
  type DestinationsFile,
  POLICY_HEARTBEAT_MS,
  parseIdentityName,
} from '@meshviz/mesh-types';
import type { HostPort } from '@meshviz/runtime';
import type { Logger } from 'pino';
import type { ServingSource } from '../identity/serving-cert.js';
import type { Catalog, CatalogEntry } from '../streaming/catalog.js';
import { type Refusal, refuse, type Stream, type StreamServer, startStreamServer } from '../streaming/server.js';
import { DESTINATIONS_KEY } from './source.js';

export interface DestinationServerOptions {
  listen: HostPort;
  trustDomain: string;
  heartbeatMs?: number;
}

const message = (entry: CatalogEntry<DestinationsFile>): DestinationStreamMessage => ({
  type: 'destinations',
  revision: entry.revision,
  destinations: entry.value,
});

/**
 * The destination service: `GET /v1/destinations` streams the whole discovery table — services, endpoints and their
 * compiled outbound routes — as NDJSON, at once and after every change, with heartbeats between. Mutual TLS, TLS 1.3:
 * the server presents `destination.meshviz-system…`; any client certificate of this mesh may read it (every proxy
 * needs every service it may call).
 */
export function startDestinationServer(
  options: DestinationServerOptions,
  deps: { serving: ServingSource; catalog: Catalog<DestinationsFile>; log: Logger },
): Promise<StreamServer> {
  const { catalog } = deps;

  function resolve(req: IncomingMessage, client: string | undefined): Refusal | Stream<DestinationStreamMessage> {
    const url = new URL(req.url ?? '/', 'https://destination');
    if (req.method !== 'GET') return refuse(405, 'DESTINATION_METHOD_NOT_ALLOWED', `${req.method} is not allowed; use GET`);
    if (url.pathname !== DESTINATION_STREAM_PATH) {
      return refuse(404, 'DESTINATION_NOT_FOUND', `no such path ${url.pathname}; use ${DESTINATION_STREAM_PATH}`);
    }
    const parsed = client ? parseIdentityName(client) : undefined;
    if (!client || !parsed || parsed.trustDomain !== options.trustDomain) {
      return refuse(403, 'DESTINATION_PERMISSION_DENIED', `the client certificate names no identity of trust domain ${options.trustDomain}`);
    }
    const current = catalog.get(DESTINATIONS_KEY);
    if (!current) return refuse(503, 'DESTINATION_UNAVAILABLE', 'no discovery table has loaded yet');
    return {
      first: message(current),
      subscribe: (send) => catalog.subscribe(DESTINATIONS_KEY, (entry) => send(message(entry))),
      logFields: { stream: 'destinations', client },
    };
  }

  const { listen } = options;
  return startStreamServer<DestinationStreamMessage>(
    { listen, serviceAccount: 'destination', heartbeatMs: options.heartbeatMs ?? POLICY_HEARTBEAT_MS },
    { serving: deps.serving, log: deps.log, resolve, heartbeat: { type: 'heartbeat' } },
  );
}
