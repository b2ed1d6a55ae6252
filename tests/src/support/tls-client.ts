import { readFileSync } from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { splitAddr } from './raw-socket.js';

export interface TlsAttempt {
  /** The handshake completed (both sides). */
  readonly secured: boolean;
  /** Why the handshake or connection failed, if it did. */
  readonly error: string | undefined;
  /** What came back after the request was written (an HTTP answer, when there was one). */
  readonly response: string;
}

export interface TlsAttemptOptions {
  readonly serverName: string;
  /** A directory from writeClientCertificate: presented as the client certificate when given. */
  readonly certDir?: string | undefined;
  /** The CA the client trusts (ca.pem of some cert dir); without one the server certificate is not checked. */
  readonly caDir?: string | undefined;
  readonly maxVersion?: tls.SecureVersion;
  readonly alpn?: string[];
  /** An HTTP/1.1 request written once secured. */
  readonly request: string;
  readonly timeoutMs?: number;
}

/** One TLS connection to a listener as a hostile or careless client would make it; never throws. */
export function tlsAttempt(address: string, options: TlsAttemptOptions): Promise<TlsAttempt> {
  const { host, port } = splitAddr(address);
  const file = (dir: string | undefined, name: string) => (dir ? readFileSync(path.join(dir, name)) : undefined);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let secured = false;
    let error: string | undefined;
    const socket = tls.connect({
      host,
      port,
      servername: options.serverName,
      ca: file(options.caDir, 'ca.pem'),
      cert: file(options.certDir, 'chain.pem'),
      key: file(options.certDir, 'key.pem'),
      rejectUnauthorized: options.caDir !== undefined,
      maxVersion: options.maxVersion ?? 'TLSv1.3',
      ALPNProtocols: options.alpn ?? ['http/1.1'],
    });
    const timer = setTimeout(() => socket.destroy(), options.timeoutMs ?? 3_000);
    socket.on('secureConnect', () => {
      secured = true;
      socket.write(options.request);
    });
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (e) => {
      error ??= e.message;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ secured, error, response: Buffer.concat(chunks).toString('latin1') });
    });
  });
}
