import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { formatHostPort, type HostPort } from '@meshviz/runtime';
import type { Logger } from 'pino';
import type { ServingSource } from '../identity/serving-cert.js';

export interface StreamServer {
  readonly address: string;
  ready(): boolean;
  close(): Promise<void>;
}

export interface StreamServerOptions {
  listen: HostPort;
  /** The control plane service account the listener presents (`policy`, `destination`) when its certificate is made here. */
  serviceAccount: string;
  heartbeatMs: number;
}

/** An answer other than a stream: an error status with a stable code and a message saying what was wrong. */
export interface Refusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}
export const refuse = (status: number, code: string, message: string): Refusal => ({ status, code, message });

/** A stream to open: its first message, how to hear of later ones, and fields for the log. */
export interface Stream<M> {
  readonly first: M;
  subscribe(send: (message: M) => void): () => void;
  readonly logFields: Record<string, unknown>;
}

/** Decides a request: `client` is the identity of the verified client certificate (its one DNS SAN), if any. */
export type StreamResolver<M> = (req: IncomingMessage, client: string | undefined) => Refusal | Stream<M>;

/**
 * One NDJSON streaming server over mutual TLS 1.3, shared by the control plane's streaming services (policy,
 * destination). The server presents `<serviceAccount>.meshviz-system…` (or, certified by the identity service, this
 * process' identity), renewed as the identity service's own leaf is; the handshake needs a client certificate issued under the trust anchors, and the resolver decides what that
 * identity may read. A stream is `application/x-ndjson`: the first message at once, every later one as it comes,
 * `heartbeat` every `heartbeatMs` so a proxy notices a dead stream.
 */
export async function startStreamServer<M>(
  options: StreamServerOptions,
  deps: { serving: ServingSource; log: Logger; resolve: StreamResolver<M>; heartbeat: M },
): Promise<StreamServer> {
  const { log } = deps;
  const open = new Set<ServerResponse>();
  const server = https.createServer({ minVersion: 'TLSv1.3', requestCert: true, rejectUnauthorized: true }, (req, res) =>
    handle(req, res),
  );

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const resolved = deps.resolve(req, peerIdentity(req.socket as TLSSocket));
    if ('status' in resolved) {
      res.writeHead(resolved.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: resolved.code, message: resolved.message } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
    const send = (message: M) => res.write(`${JSON.stringify(message)}\n`);
    send(resolved.first);
    const unsubscribe = resolved.subscribe(send);
    const heartbeat = setInterval(() => send(deps.heartbeat), options.heartbeatMs);
    open.add(res);
    log.debug(resolved.logFields, 'stream opened');
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

  const serving = deps.serving.serve({
    serviceAccount: options.serviceAccount,
    log,
    apply: ({ key, cert, anchorsPem }) => server.setSecureContext({ key, cert, ca: [...anchorsPem], minVersion: 'TLSv1.3' }),
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
