import type { IncomingMessage, ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { createCsr, signLeaf } from '@meshviz/identity';
import { parseIdentityName } from '@meshviz/mesh-types';
import { certificateDnsNames } from '../tls/connect.js';
import type { TestPki } from './identity-fixtures.js';

/** One stream a stand-in served: what it was opened for (its key) and the identity the proxy presented. */
export interface ServedStream {
  readonly key: string;
  readonly clientId: string;
}

/** What a stand-in's route makes of a request: a stream for `key`, or a refusal. */
export type StreamAdmission = { readonly key: string } | { readonly status: number; readonly message: string };

export interface StreamServiceOptions {
  /** The identity its certificate names. */
  readonly identity: string;
  /** 0: no heartbeats (a silent stream). */
  readonly heartbeatMs: number;
  readonly heartbeat: string;
  /** Decides, from the path and the client's identity, which stream a request opens. */
  readonly admit: (req: IncomingMessage, clientId: string) => StreamAdmission;
  /** The line a new stream of `key` starts with, when there is one. */
  readonly first: (key: string) => string | undefined;
}

export interface TestStreamService {
  readonly addr: string;
  /** Every stream opened so far, in order. */
  readonly streams: readonly ServedStream[];
  /** Streams open now. */
  readonly open: number;
  /** Writes one line (a newline is added) to every open stream of `key`. */
  send(key: string, line: string): void;
  close(): Promise<void>;
}

/**
 * The transport every control-plane stand-in shares (policy, destinations): HTTPS (TLS 1.3) with a leaf for
 * `identity` from the test issuer, a client certificate required and checked against the anchor, and an
 * `application/x-ndjson` answer that stays open, with a heartbeat line every `heartbeatMs`. What a stream carries is
 * the caller's: `admit` picks the stream (or refuses with a JSON error), `first` is what it starts with.
 */
export async function startTestStreamService(pki: TestPki, options: StreamServiceOptions): Promise<TestStreamService> {
  const presented = parseIdentityName(options.identity);
  if (!presented) throw new Error(`${options.identity} is not an identity name`);
  const { keyPem, csrPem } = await createCsr(presented);
  const own = await signLeaf(pki.issuer, csrPem, { identity: presented });
  const open = new Map<ServerResponse, string>();
  const streams: ServedStream[] = [];
  const write = (res: ServerResponse, line: string): void => {
    res.write(`${line}\n`);
  };

  const server = https.createServer(
    {
      key: keyPem,
      cert: `${own.certPem.trim()}\n${pki.issuer.certPem.trim()}\n`,
      ca: pki.anchor.certPem,
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.3',
    },
    (req, res) => {
      const names = certificateDnsNames((req.socket as TLSSocket).getPeerCertificate());
      const clientId = names.find((n) => parseIdentityName(n)) ?? '';
      const admission = options.admit(req, clientId);
      if ('status' in admission) {
        res.writeHead(admission.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: admission.message } }));
        return;
      }
      const { key } = admission;
      streams.push({ key, clientId });
      res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
      open.set(res, key);
      res.once('close', () => open.delete(res));
      const first = options.first(key);
      if (first !== undefined) write(res, first);
    },
  );
  const heartbeat =
    options.heartbeatMs > 0
      ? setInterval(() => {
          for (const res of open.keys()) write(res, options.heartbeat);
        }, options.heartbeatMs)
      : undefined;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    addr: `127.0.0.1:${port}`,
    streams,
    get open() {
      return open.size;
    },
    send: (key, line) => {
      for (const [res, k] of open) if (k === key) write(res, line);
    },
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(heartbeat);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
