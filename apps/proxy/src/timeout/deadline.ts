import { type Readable, Transform } from 'node:stream';
import { whenClosed } from '../core/body-close.js';
import { ExchangeSignal } from '../core/exchange-signal.js';
import type { ProxyRequest, ProxyResponse, Stage } from '../core/stage.js';
import { ProxyError } from '../errors/proxy-error.js';
import type { RouteTarget } from '../route/target.js';

type TimeoutKind = 'request_timeout' | 'idle_timeout';

/**
 * Timeout stage (outbound routes, above retries). `requestMs` bounds the whole exchange, retries and response body
 * included: before response headers it answers 504 request_timeout, after them it cuts the body; either way the
 * attempt in flight is cancelled and no retry starts past the deadline. `idleMs` does the same with idle_timeout
 * when no byte of the request or response body has moved (and no headers arrived) for that long. The per-attempt
 * wait for headers (`attemptTimeoutMs`) is handed to the endpoint stage with the request. One timer per limit per
 * request, refreshed (not recreated) as bytes move.
 */
export function deadline(next: Stage<RouteTarget>): Stage<RouteTarget> {
  return (target, request) => {
    const policy = target.route.policy;
    if (!policy || (policy.requestMs === undefined && policy.idleMs === undefined && policy.attemptTimeoutMs === undefined)) {
      return next(target, request);
    }
    const { requestMs, idleMs, attemptTimeoutMs } = policy;
    if (requestMs === undefined && idleMs === undefined) return next(target, { ...request, responseTimeoutMs: attemptTimeoutMs });

    return new Promise<ProxyResponse>((resolve, reject) => {
      // The attempts' own signal: the client leaving aborts it, and so does running out of time.
      const signal = new ExchangeSignal();
      const onClientAbort = (): void => signal.abort(request.signal.reason ?? new ProxyError('client_reset'));
      let response: ProxyResponse | undefined;
      let settled = false;
      let requestTimer: NodeJS.Timeout | undefined;
      let idleTimer: NodeJS.Timeout | undefined;
      const cleanup = (): void => {
        clearTimeout(requestTimer);
        clearTimeout(idleTimer);
        request.signal.offAbort(onClientAbort);
      };
      const expire = (kind: TimeoutKind): void => {
        const error = new ProxyError(kind, { destination: response?.destination ?? policy.service });
        request.log.debug({ route: target.route.name, kind }, 'route timeout');
        if (response) {
          // Headers went out: the body is cut, which the client sees as an incomplete answer.
          response.body.destroy(error);
          return;
        }
        settled = true;
        cleanup();
        signal.abort(error);
        reject(error);
      };
      const touch = (): void => {
        idleTimer?.refresh();
      };
      if (requestMs !== undefined) requestTimer = setTimeout(expire, requestMs, 'request_timeout');
      if (idleMs !== undefined) idleTimer = setTimeout(expire, idleMs, 'idle_timeout');
      if (request.signal.aborted) onClientAbort();
      else request.signal.onAbort(onClientAbort);

      const body = idleMs === undefined || request.bodyless ? request.body : watched(request.body, touch, () => new ProxyError('client_reset'));
      const inner: ProxyRequest = { ...request, body, signal, responseTimeoutMs: attemptTimeoutMs };
      next(target, inner).then(
        (answer) => {
          if (settled) {
            // Too late: the client has its 504 already. Let go of the upstream.
            answer.body.destroy(signal.reason);
            return;
          }
          settled = true;
          touch();
          response =
            idleMs === undefined || answer.bodyless
              ? answer
              : { ...answer, body: watched(answer.body, touch, () => new ProxyError('connection_reset', { destination: answer.destination }), true) };
          whenClosed(response.body, cleanup);
          resolve(response);
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          cleanup();
          reject(error);
        },
      );
    });
  };
}

/**
 * The same bytes through a pass-through that calls `moved` per chunk. The source cut short destroys the copy (with
 * the source's error, or `cut()`). A response's copy destroyed (a timeout, the client leaving) destroys the upstream
 * body too; a request's never destroys the client's request, whose connection still has to carry the answer.
 */
function watched(source: Readable, moved: () => void, cut: () => Error, owned = false): Readable {
  const copy = new Transform({
    transform(chunk, _encoding, callback) {
      moved();
      callback(null, chunk);
    },
  });
  source.once('close', () => {
    if (!source.readableEnded && !copy.destroyed) copy.destroy(source.errored ?? cut());
  });
  if (owned) {
    copy.once('close', () => {
      if (!copy.readableEnded && !source.destroyed) source.destroy(copy.errored ?? undefined);
    });
  }
  source.on('error', () => {});
  copy.on('error', () => {});
  source.pipe(copy);
  return copy;
}
