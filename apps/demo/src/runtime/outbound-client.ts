import { Agent, request } from 'node:http';
import type { HostPort } from '@meshviz/runtime';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export type OutboundResult =
  /**
   * `latencyMs`: from the moment the request's last byte was handed to the operating system to the arrival of the
   * response headers, the same span a proxy measures between them (its latency histogram ends at response
   * headers), so a client and its proxy can be compared like with like. Connecting and reading the body are
   * outside it.
   */
  | { kind: 'response'; status: number; latencyMs: number }
  | { kind: 'error'; reason: 'timeout' | 'transport'; detail: string };

export interface OutboundRequest {
  /** Authority the outbound proxy routes by, e.g. `catalog.bookshop.svc.cluster.local`. */
  authority: string;
  method: HttpMethod;
  path: string;
  timeoutMs: number;
}

/**
 * Sends every request to one address (this process's outbound proxy) and names the real destination in the
 * Host header, as an app behind a mesh does. Connections are kept alive so the proxy sees steady pools, not
 * a connect per request.
 */
export class OutboundClient {
  private readonly agent = new Agent({ keepAlive: true });

  constructor(private readonly proxy: HostPort) {}

  async send(req: OutboundRequest): Promise<OutboundResult> {
    const first = await this.once(req);
    // The proxy may close an idle kept-alive connection just as we reuse it; the request never left, so
    // sending it again on a fresh connection is what any HTTP client does (Node's docs recommend it).
    if (first.kind === 'error' && first.staleSocket) return strip(await this.once(req));
    return strip(first);
  }

  close(): void {
    this.agent.destroy();
  }

  private once(req: OutboundRequest): Promise<OutboundResult & { staleSocket?: boolean }> {
    return new Promise((resolve) => {
      let settled = false;
      const startedAt = performance.now();
      let flushedAt: number | undefined;
      const settle = (result: OutboundResult & { staleSocket?: boolean }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const outgoing = request(
        {
          host: this.proxy.host,
          port: this.proxy.port,
          method: req.method,
          path: req.path,
          agent: this.agent,
          // Node adds Content-Length: 0 itself for the bodiless POST and PUT the demo sends.
          headers: { host: req.authority },
        },
        (res) => {
          const latencyMs = performance.now() - (flushedAt ?? startedAt);
          // The caller counts a request once its whole response has arrived, so drain the body first.
          res.on('end', () => settle({ kind: 'response', status: res.statusCode ?? 0, latencyMs }));
          res.on('error', (error) => settle({ kind: 'error', reason: 'transport', detail: error.message }));
          res.resume();
        },
      );
      const timer = setTimeout(() => {
        settle({ kind: 'error', reason: 'timeout', detail: `no complete response within ${req.timeoutMs} ms` });
        outgoing.destroy();
      }, req.timeoutMs);
      outgoing.on('error', (error: NodeJS.ErrnoException) => {
        const staleSocket = outgoing.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
        settle({ kind: 'error', reason: 'transport', detail: error.code ?? error.message, staleSocket });
      });
      outgoing.on('finish', () => {
        flushedAt = performance.now();
      });
      outgoing.end();
    });
  }
}

function strip(result: OutboundResult & { staleSocket?: boolean }): OutboundResult {
  if (result.kind === 'response') return { kind: 'response', status: result.status, latencyMs: result.latencyMs };
  return { kind: 'error', reason: result.reason, detail: result.detail };
}
