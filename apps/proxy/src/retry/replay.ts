import { PassThrough, Readable } from 'node:stream';
import type { ExchangeSignal } from '../core/exchange-signal.js';
import type { ProxyRequest } from '../core/stage.js';
import { ProxyError } from '../errors/proxy-error.js';

/** Bodies up to this size are read whole so that a failed attempt can be sent again. */
export const MAX_REPLAY_BYTES = 64 * 1024;

export interface Replay {
  /** False when the body could only be sent once (too large): then call attempt() once only. */
  readonly replayable: boolean;
  /** A request for one attempt, with a body of its own. */
  attempt(): ProxyRequest;
}

/**
 * Makes a request sendable more than once. Bodyless requests (most GET, HEAD, DELETE) replay as they are. A body
 * is read whole when it is small; a larger one is passed on as it streams, together with what was read of it,
 * and cannot be retried: buffering large uploads would cost memory per request in flight.
 */
export async function prepareReplay(request: ProxyRequest): Promise<Replay> {
  if (request.bodyless) return { replayable: true, attempt: () => request };
  if (declaredLength(request.headers) > MAX_REPLAY_BYTES) return { replayable: false, attempt: () => request };
  const { chunks, complete } = await readUpTo(request.body, MAX_REPLAY_BYTES, request.signal);
  if (!complete) {
    const rest = new PassThrough();
    for (const chunk of chunks) rest.write(chunk);
    request.body.once('close', () => {
      if (!request.body.readableEnded) rest.destroy(new ProxyError('client_reset'));
    });
    request.body.pipe(rest);
    const streamed = { ...request, body: rest };
    return { replayable: false, attempt: () => streamed };
  }
  const trailers = request.trailers();
  return {
    replayable: true,
    attempt: () => ({ ...request, body: Readable.from(chunks, { objectMode: false }), trailers: () => trailers }),
  };
}

function declaredLength(headers: readonly string[]): number {
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i]?.toLowerCase() === 'content-length') return Number(headers[i + 1]);
  }
  return 0;
}

/** Reads until the body ends or more than `limit` bytes arrived (then leaves it paused). */
function readUpTo(
  body: Readable,
  limit: number,
  signal: ExchangeSignal,
): Promise<{ chunks: Buffer[]; complete: boolean }> {
  if (body.readableEnded) return Promise.resolve({ chunks: [], complete: true });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (): void => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('close', onClose);
      signal.offAbort(onClose);
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      size += chunk.length;
      if (size <= limit) return;
      settle();
      body.pause();
      resolve({ chunks, complete: false });
    };
    const onEnd = (): void => {
      settle();
      resolve({ chunks, complete: true });
    };
    const onClose = (): void => {
      settle();
      reject(new ProxyError('client_reset'));
    };
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('close', onClose);
    if (signal.aborted) return onClose();
    signal.onAbort(onClose);
  });
}
