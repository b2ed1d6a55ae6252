import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { type InboundPolicy, POLICY_HEARTBEAT_MS, POLICY_STREAM_PATH, type PolicyStreamMessage, parseIdentityName } from '@meshviz/mesh-types';
import { formatHostPort, type HostPort } from '@meshviz/runtime';
import type { Logger } from 'pino';
import { startServingCert } from '../identity/serving-cert.js';
import type { TrustStore } from '../identity/trust-store.js';
import type { PolicyCatalog } from './catalog.js';

export interface PolicyServer {
  readonly address: string;
  ready(): boolean;
  close(): Promise<void>;
}

export interface PolicyServerOptions {
  listen: HostPort;
  trustDomain: string;
  leafLifetimeMs: number;
  clockSkewMs: number;
  heartbeatMs?: number;
}

const SEGMENT = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

interface Refusal {
  status: number;
  code: string;
  message: string;
}
const refuse = (status: number, code: string, message: string): Refusal => ({ status, code, message });

/**
 * The policy service: `GET /v1/policy/inbound/<namespace>/<workload>` streams that workload's inbound policy as
 * NDJSON, at once and after every change, with heartbeats between. Mutual TLS, TLS 1.3: the server presents
 * `policy.meshviz-system…`, and a client must present a certificate of this mesh whose identity is of the
 * workload's namespace — a proxy reads its own namespace's policies and no other.
 */
export async function startPolicyServer(
  options: PolicyServerOptions,
  deps: { store: TrustStore; catalog: PolicyCatalog; log: Logger },
): Promise<PolicyServer> {
  const { catalog, log } = deps;
  const heartbeatMs = options.heartbeatMs ?? POLICY_HEARTBEAT_MS;
  const open = new Set<ServerResponse>();
  const server = https.createServer({ minVersion: 'TLSv1.3', requestCert: true, rejectUnauthorized: true }, (req, res) =>
    handle(req, res),
  );

  /** The workload asked for and its current policy, or the refusal to answer. */
  function resolve(req: IncomingMessage): Refusal | { namespace: string; name: string; client: string; current: InboundPolicy } {
    const url = new URL(req.url ?? '/', 'https://policy');
    if (req.method !== 'GET') return refuse(405, 'POLICY_METHOD_NOT_ALLOWED', `${req.method} is not allowed; use GET`);
    if (!url.pathname.startsWith(`${POLICY_STREAM_PATH}/`)) {
      return refuse(404, 'POLICY_NOT_FOUND', `no such path ${url.pathname}; use ${POLICY_STREAM_PATH}/<namespace>/<workload>`);
    }
    const [namespace, name, ...rest] = url.pathname.slice(POLICY_STREAM_PATH.length + 1).split('/');
    if (!namespace || !name || rest.length > 0 || !SEGMENT.test(namespace) || !SEGMENT.test(name)) {
      return refuse(400, 'POLICY_INVALID_ARGUMENT', `expected ${POLICY_STREAM_PATH}/<namespace>/<workload> with DNS labels`);
    }
    const client = peerIdentity(req.socket as TLSSocket);
    const parsed = client ? parseIdentityName(client) : undefined;
    if (!client || !parsed || parsed.trustDomain !== options.trustDomain) {
      return refuse(403, 'POLICY_PERMISSION_DENIED', `the client certificate names no identity of trust domain ${options.trustDomain}`);
    }
    if (parsed.namespace !== namespace) {
      return refuse(403, 'POLICY_PERMISSION_DENIED', `identity ${client} may not read the policy of namespace ${namespace}`);
    }
    const current = catalog.get(namespace, name);
    if (current) return { namespace, name, client, current };
    if (!catalog.ready()) return refuse(503, 'POLICY_UNAVAILABLE', 'no policy has loaded yet');
    return refuse(404, 'POLICY_NOT_FOUND', `no workload ${namespace}/${name} is known`);
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const resolved = resolve(req);
    if ('status' in resolved) {
      res.writeHead(resolved.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: resolved.code, message: resolved.message } }));
      return;
    }
    const { namespace, name, client, current } = resolved;
    res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
    const send = (message: PolicyStreamMessage) => res.write(`${JSON.stringify(message)}\n`);
    send({ type: 'policy', policy: current });
    const unsubscribe = catalog.subscribe(namespace, name, (policy) => send({ type: 'policy', policy }));
    const heartbeat = setInterval(() => send({ type: 'heartbeat' }), heartbeatMs);
    open.add(res);
    log.debug({ workload: `${namespace}/${name}`, client }, 'policy stream opened');
    res.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(res);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.listen.port, options.listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;

  const serving = startServingCert({
    store: deps.store,
    trustDomain: options.trustDomain,
    leafLifetimeMs: options.leafLifetimeMs,
    clockSkewMs: options.clockSkewMs,
    serviceAccount: 'policy',
    log,
    apply: ({ key, cert }) => {
      const anchors = deps.store.current()?.anchorsPem ?? [];
      server.setSecureContext({ key, cert, ca: [...anchors], minVersion: 'TLSv1.3' });
    },
  });

  let closed = false;
  return {
    address: formatHostPort({ host: bound.address, port: bound.port }),
    ready: () => !closed && serving.ready(),
    close: async () => {
      closed = true;
      serving.stop();
      for (const res of open) res.end();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** The one DNS SAN of the verified client certificate (proxies' leaves carry exactly one). */
function peerIdentity(socket: TLSSocket): string | undefined {
  if (!socket.authorized) return undefined;
  const san = socket.getPeerCertificate()?.subjectaltname ?? '';
  const dns = san
    .split(', ')
    .filter((part) => part.startsWith('DNS:'))
    .map((part) => part.slice(4));
  return dns.length === 1 ? dns[0] : undefined;
}
