import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { formatHostPort, type HostPort } from './host-port.js';

export interface AdminServer {
  readonly address: string;
  close(): Promise<void>;
}

export interface AdminOptions {
  readonly registry: Registry;
  /** True once the process can do its work (a proxy: listeners bound and, with identity, certified). */
  readonly isReady: () => boolean;
  readonly log: Logger;
  /** How long a client may take to send a request head before it is cut off (slowloris); default 10 s. */
  readonly headerTimeoutMs?: number;
}

const DEFAULT_HEADER_TIMEOUT_MS = 10_000;

/**
 * The admin server Prometheus and the orchestrator talk to: /metrics (the process' own registry), /ready, /live,
 * plain HTTP on a port of its own, apart from the traffic the process serves. Other methods than GET and HEAD get
 * 405, other paths 404.
 */
export async function startAdmin(addr: HostPort, options: AdminOptions): Promise<AdminServer> {
  // Node checks pending heads every connectionsCheckingInterval (30 s by default): once a second keeps the timeout.
  const limits = { headersTimeout: options.headerTimeoutMs ?? DEFAULT_HEADER_TIMEOUT_MS, connectionsCheckingInterval: 1_000 };
  const server = http.createServer(limits, (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return text(res, 405, 'method not allowed\n');
    switch (path) {
      case '/metrics':
        options.registry.metrics().then(
          (body) => {
            res.writeHead(200, { 'content-type': options.registry.contentType });
            res.end(body);
          },
          (error: unknown) => {
            options.log.error({ err: error }, 'metrics collection failed');
            text(res, 500, 'metrics collection failed\n');
          },
        );
        return;
      case '/ready':
        return options.isReady() ? text(res, 200, 'ready\n') : text(res, 503, 'not ready\n');
      case '/live':
        // Answering at all proves the event loop turns, which is what liveness means for a Node process.
        return text(res, 200, 'live\n');
      default:
        return text(res, 404, 'not found\n');
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: addr.host, port: addr.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address() as AddressInfo;
  return {
    address: formatHostPort({ host: bound.address, port: bound.port }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function text(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
