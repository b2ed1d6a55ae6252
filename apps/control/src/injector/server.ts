import { readFile } from 'node:fs/promises';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { formatHostPort, type HostPort } from '@meshviz/runtime';
import type { Logger } from 'pino';
import { type NamespaceAnnotations, review } from './review.js';
import type { InjectorSettings } from './sidecar.js';

export const INJECT_PATH = '/inject';
/** An AdmissionReview of a pod is a few KiB; the API server sends at most a few MiB. */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

export interface InjectorServer {
  readonly address: string;
  ready(): boolean;
  close(): Promise<void>;
}

export interface InjectorServerOptions {
  listen: HostPort;
  certFile: string;
  keyFile: string;
  settings: InjectorSettings;
  /** How often the certificate files are checked for a renewed pair (cert-manager, a Secret update). */
  certPollMs?: number;
}

const CERT_POLL_MS = 30_000;

/**
 * The injector webhook: HTTPS (the API server only calls webhooks over TLS; the certificate is the one the
 * MutatingWebhookConfiguration's caBundle vouches for), `POST /inject` with an AdmissionReview in and out.
 * Anything else is answered with a JSON error naming what was wrong.
 */
export async function startInjectorServer(
  options: InjectorServerOptions,
  deps: { namespaceAnnotations: NamespaceAnnotations; trustAnchors: () => string | undefined; log: Logger },
): Promise<InjectorServer> {
  const { log } = deps;
  const [cert, key] = await Promise.all([readTls(options.certFile, 'CONTROL_INJECTOR_TLS_CERT_FILE'), readTls(options.keyFile, 'CONTROL_INJECTOR_TLS_KEY_FILE')]);
  const server = https.createServer({ cert, key, minVersion: 'TLSv1.2' }, (req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const fail = (status: number, code: string, message: string) => {
      log.warn({ status, code, message }, 'injector request refused');
      reply(status, { error: { code, message } });
    };
    const path = new URL(req.url ?? '/', 'https://injector').pathname;
    if (path !== INJECT_PATH) return fail(404, 'INJECTOR_NOT_FOUND', `no such path ${path}; use POST ${INJECT_PATH}`);
    if (req.method !== 'POST') return fail(405, 'INJECTOR_METHOD_NOT_ALLOWED', `${req.method} is not allowed; use POST`);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) return fail(413, 'INJECTOR_BODY_TOO_LARGE', `the body is over ${MAX_BODY_BYTES} bytes`);
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch (error) {
        return fail(400, 'INJECTOR_BAD_REQUEST', `the body is not JSON: ${(error as Error).message}`);
      }
      try {
        const answer = review(body, { settings: options.settings, namespaceAnnotations: deps.namespaceAnnotations, trustAnchors: deps.trustAnchors });
        if (answer.status === 400) return fail(400, 'INJECTOR_BAD_REQUEST', answer.message);
        const response = (answer.body as { response: { uid: string; allowed: boolean; patch?: string; warnings?: string[] } }).response;
        log.info({ uid: response.uid, allowed: response.allowed, patched: response.patch !== undefined, warnings: response.warnings }, 'pod admitted');
        reply(200, answer.body);
      } catch (error) {
        log.error({ err: { message: (error as Error).message } }, 'injector failed');
        fail(500, 'INJECTOR_INTERNAL', 'the injector failed on this request');
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.listen.port, options.listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  // A renewed pair is taken without a restart; a pair that does not load keeps the last good one.
  let serving = `${cert}${key}`;
  const poll = setInterval(() => {
    void Promise.all([readFile(options.certFile), readFile(options.keyFile)])
      .then(([nextCert, nextKey]) => {
        if (`${nextCert}${nextKey}` === serving) return;
        server.setSecureContext({ cert: nextCert, key: nextKey, minVersion: 'TLSv1.2' });
        serving = `${nextCert}${nextKey}`;
        log.info({ certFile: options.certFile }, 'injector serving certificate reloaded');
      })
      .catch((error: Error) => log.error({ err: { message: error.message } }, 'cannot reload the injector serving certificate; keeping the current one'));
  }, options.certPollMs ?? CERT_POLL_MS);
  poll.unref();
  let closed = false;
  return {
    address: formatHostPort({ host: bound.address, port: bound.port }),
    ready: () => !closed,
    close: () =>
      new Promise<void>((resolve) => {
        closed = true;
        clearInterval(poll);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function readTls(file: string, variable: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new Error(`${variable}: cannot read ${file}: ${(error as Error).message}`);
  }
}
