import http from 'node:http';
import { splitAddr } from './raw-socket.js';

export interface LoadResult {
  readonly sent: number;
  readonly ok: number;
  /** Answers other than 2xx, by status. */
  readonly failed: Record<number, number>;
  /** Requests that ended in a client-side error (reset, refused): the client was told, nothing was silent. */
  readonly errors: Record<string, number>;
  /** Requests that neither answered nor failed within the timeout (lost): must be 0. */
  readonly lost: number;
  /** Each failed answer: when it was sent (ms from the start), its status and the proxy's error kind. */
  readonly failures: { atMs: number; status: number; kind: string }[];
  /** When each successful request was sent (ms from the start). */
  readonly okAt: number[];
}

/**
 * Steady load: `concurrency` clients each sending GETs back to back over keep-alive connections for `durationMs`
 * (or until `stop` aborts), paced to at most `rps` in total. Every request ends as an answer, a client error or a
 * timeout (lost).
 */
export async function runLoad(options: {
  address: string;
  host: string;
  rps: number;
  durationMs: number;
  concurrency: number;
  timeoutMs?: number;
  stop?: AbortSignal;
}): Promise<LoadResult> {
  const { host, port } = splitAddr(options.address);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
  const result = { sent: 0, ok: 0, failed: {} as Record<number, number>, errors: {} as Record<string, number>, lost: 0, failures: [] as LoadResult['failures'], okAt: [] as number[] };
  const start = performance.now();
  const end = performance.now() + options.durationMs;
  const gapMs = (1000 * options.concurrency) / options.rps;
  const one = () =>
    new Promise<void>((resolve) => {
      result.sent += 1;
      const atMs = performance.now() - start;
      let done = false;
      const finish = (kind: 'ok' | 'lost' | { status: number } | { error: string }) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (kind === 'ok') {
          result.ok += 1;
          result.okAt.push(atMs);
        }
        else if (kind === 'lost') {
          result.lost += 1;
          result.failures.push({ atMs, status: 0, kind: 'lost: no answer and no error within the timeout' });
        }
        else if ('status' in kind) result.failed[kind.status] = (result.failed[kind.status] ?? 0) + 1;
        else result.errors[kind.error] = (result.errors[kind.error] ?? 0) + 1;
        resolve();
      };
      const req = http.get({ host, port, path: `/load/${result.sent}`, headers: { host: options.host }, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 300) result.failures.push({ atMs, status, kind: String(res.headers['x-meshviz-proxy-error'] ?? '') });
          finish(status < 300 ? 'ok' : { status });
        });
        res.on('error', (e: NodeJS.ErrnoException) => finish({ error: e.code ?? e.message }));
      });
      req.on('error', (e: NodeJS.ErrnoException) => finish({ error: e.code ?? e.message }));
      const timer = setTimeout(() => {
        req.destroy();
        finish('lost');
      }, options.timeoutMs ?? 10_000);
    });
  const client = async () => {
    while (performance.now() < end && !options.stop?.aborted) {
      const started = performance.now();
      await one();
      const wait = gapMs - (performance.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, client));
  agent.destroy();
  return result;
}
