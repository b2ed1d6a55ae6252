import {
  CONTROL_NAMESPACE,
  DESTINATION_STREAM_PATH,
  type DestinationStreamMessage,
  type DestinationsFile,
  identityName,
  POLICY_HEARTBEAT_MS,
} from '@meshviz/mesh-types';
import type { TestPki } from './identity-fixtures.js';
import { type ServedStream, startTestStreamService } from './stream-service.js';

export interface TestDestinationService {
  readonly addr: string;
  /** The identity this service presents (the proxies' PROXY_DESTINATION_SVC_NAME). */
  readonly serviceName: string;
  readonly streams: readonly ServedStream[];
  readonly open: number;
  /** The revision of the last table published (0: none yet). */
  readonly revision: number;
  /** Publishes the whole table under the next revision: sent to every open stream now, and first on every later one. */
  publish(destinations: DestinationsFile): number;
  /** Writes one raw line (a newline is added) to every open stream. */
  sendRaw(line: string): void;
  close(): Promise<void>;
}

const ALL = 'all';
const line = (message: DestinationStreamMessage): string => JSON.stringify(message);

/**
 * A stand-in for the control plane's destination service, speaking the contract in mesh-types' discovery.ts over
 * the shared stream transport (stream-service.ts): `GET <DESTINATION_STREAM_PATH>` from any meshed proxy answered
 * with DestinationStreamMessage lines: the whole table at once (once one is published) and after every change, and
 * a heartbeat every POLICY_HEARTBEAT_MS. The real service is apps/control's; this one lets the proxy's side be
 * tested on its own.
 */
export async function startTestDestinationService(
  pki: TestPki,
  options: { readonly identity?: string; readonly heartbeatMs?: number } = {},
): Promise<TestDestinationService> {
  const serviceName = identityName({ serviceAccount: 'destination', namespace: CONTROL_NAMESPACE, trustDomain: pki.trustDomain });
  let current: { revision: number; destinations: DestinationsFile } | undefined;
  const service = await startTestStreamService(pki, {
    identity: options.identity ?? serviceName,
    heartbeatMs: options.heartbeatMs ?? POLICY_HEARTBEAT_MS,
    heartbeat: line({ type: 'heartbeat' }),
    admit: (req, clientId) => {
      if (req.method !== 'GET' || req.url !== DESTINATION_STREAM_PATH) return { status: 404, message: 'no such stream' };
      if (clientId === '') return { status: 403, message: 'only meshed proxies may read destinations' };
      return { key: ALL };
    },
    first: () => (current ? line({ type: 'destinations', ...current }) : undefined),
  });
  return {
    addr: service.addr,
    serviceName,
    get streams() {
      return service.streams;
    },
    get open() {
      return service.open;
    },
    get revision() {
      return current?.revision ?? 0;
    },
    publish: (destinations) => {
      current = { revision: (current?.revision ?? 0) + 1, destinations };
      service.send(ALL, line({ type: 'destinations', ...current }));
      return current.revision;
    },
    sendRaw: (raw) => service.send(ALL, raw),
    close: () => service.close(),
  };
}
