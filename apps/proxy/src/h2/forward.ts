import { formatHostPort } from '@meshviz/runtime';
import type { ProxyRequest, ProxyResponse, Stage } from '../core/stage.js';
import type { EndpointTarget } from '../endpoint/forward.js';
import type { ForwardH2Options } from '../endpoint/forward-h2.js';
import { ProxyError, toProxyError } from '../errors/proxy-error.js';
import { h2Fields } from '../http/h2-headers.js';
import { pump } from '../http/h2-pump.js';
import type { H2ClientStream } from './client-stream.js';
import type { H2FastPool } from './pool.js';

/**
 * HTTP/2 endpoint stage on the proxy's own client sessions: the same contract as the stage on Node's http2
 * (flow control end to end, trailers both ways, a client reset cancels the upstream stream, the response
 * timeout counted from the end of the request body), without Node's per-stream objects.
 */
export function forwardH2Fast(pool: H2FastPool, options: ForwardH2Options): Stage<EndpointTarget> {
  return (target, request) =>
    new Promise<ProxyResponse>((resolve, reject) => {
      const { destination } = target;
      if (request.signal.aborted) {
        reject(toProxyError(request.signal.reason, destination));
        return;
      }
      let responseTimer: NodeJS.Timeout | undefined;
      let settled = false;
      let stream: H2ClientStream;
      try {
        stream = pool.get(target).request(requestFields(request, target), request.bodyless, () => h2Fields(request.trailers()), (status, fields, endStream) => {
          clearTimeout(responseTimer);
          settled = true;
          resolve({
            status,
            statusMessage: '',
            headers: h2Fields(fields),
            body: stream,
            bodyless: endStream,
            trailers: () => stream.trailers,
            destination,
          });
        });
      } catch (error) {
        reject(toProxyError(error, destination));
        return;
      }
      // CANCEL tells the upstream the client gave up; the reason tells our own observers (client_reset).
      const onAbort = (): void => {
        stream.destroy(request.signal.reason);
      };
      request.signal.onAbort(onAbort);
      stream.once('close', () => {
        clearTimeout(responseTimer);
        request.signal.offAbort(onAbort);
        if (settled) return;
        // Closed before an answer: the stream failed (or was destroyed by the timeout or the client).
        settled = true;
        stopPump?.();
        if (!request.bodyless) request.body.resume();
        reject(toProxyError(stream.errored ?? new ProxyError('connection_reset'), destination));
      });

      const responseTimeoutMs = request.responseTimeoutMs ?? options.responseTimeoutMs;
      const startTimer = (): void => {
        if (settled || responseTimeoutMs <= 0) return;
        responseTimer = setTimeout(() => stream.destroy(new ProxyError('response_timeout')), responseTimeoutMs);
      };
      let stopPump: (() => void) | undefined;
      if (request.bodyless) {
        startTimer();
        return;
      }
      // The response timeout counts from the end of the request on the wire, so slow uploads (and client streams)
      // are not cut off.
      stream.onSent = startTimer;
      // An empty HTTP/2 body may have ended (unread) before it got here; it would then never end the stream.
      if (request.body.readableEnded) {
        stream.end();
        return;
      }
      stopPump = pump(request.body, stream);
    });
}

function requestFields(request: ProxyRequest, target: EndpointTarget): string[] {
  const fields = [':method', request.method, ':scheme', 'http', ':authority', request.authority || formatHostPort(target.addr), ':path', request.path];
  const raw = h2Fields(request.headers);
  for (let i = 0; i < raw.length; i++) fields.push(raw[i] ?? '');
  return fields;
}
