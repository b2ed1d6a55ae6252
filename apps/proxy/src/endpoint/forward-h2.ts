import { type ClientHttp2Stream, constants, type OutgoingHttpHeaders } from 'node:http2';
import { formatHostPort } from '@meshviz/runtime';
import type { ProxyRequest, ProxyResponse, Stage } from '../core/stage.js';
import { ProxyError, toProxyError } from '../errors/proxy-error.js';
import { fromH2Headers, h2Fields, toH2Headers } from '../http/h2-headers.js';
import { pump } from '../http/h2-pump.js';
import { resetStream } from '../http/h2-reset.js';
import type { EndpointTarget } from './forward.js';
import type { H2Pool } from './h2-pool.js';

export interface ForwardH2Options {
  /** Wait for response headers after the request was fully sent (unless the request carries its own); 0 waits forever. */
  readonly responseTimeoutMs: number;
}

const NONE: readonly string[] = [];
const WITHOUT_BODY = { endStream: true, waitForTrailers: false };
const WITH_BODY = { endStream: false, waitForTrailers: true };

/**
 * HTTP/2 endpoint stage: one stream on the endpoint's pooled session per request. Bodies are pumped, so HTTP/2
 * flow control carries backpressure end to end; trailers go both ways (gRPC's status lives in them); a client
 * reset cancels the upstream stream.
 */
export function forwardH2(pool: H2Pool, options: ForwardH2Options): Stage<EndpointTarget> {
  return (target, request) =>
    new Promise<ProxyResponse>((resolve, reject) => {
      const { destination } = target;
      if (request.signal.aborted) {
        reject(toProxyError(request.signal.reason, destination));
        return;
      }
      let stream: ClientHttp2Stream;
      try {
        stream = pool.get(target).request(requestHeaders(request, target), request.bodyless ? WITHOUT_BODY : WITH_BODY);
      } catch (error) {
        reject(toProxyError(error, destination));
        return;
      }

      let responded = false;
      let responseTimer: NodeJS.Timeout | undefined;
      let trailers = NONE;
      let stopPump: (() => void) | undefined;
      // CANCEL tells the upstream the client gave up; the reason tells our own observers (client_reset).
      const onAbort = (): void => resetStream(stream, constants.NGHTTP2_CANCEL, request.signal.reason);
      request.signal.onAbort(onAbort);
      stream.once('close', () => {
        clearTimeout(responseTimer);
        request.signal.offAbort(onAbort);
      });

      stream.on('error', (error) => {
        if (responded) return; // after headers the body carries the failure
        stopPump?.();
        request.body.resume();
        reject(toProxyError(error, destination));
      });
      stream.once('response', (headers, flags, rawHeaders?: string[]) => {
        clearTimeout(responseTimer);
        responded = true;
        resolve({
          status: Number(headers[':status']),
          statusMessage: '',
          headers: rawHeaders ? h2Fields(rawHeaders) : fromH2Headers(headers),
          body: stream,
          bodyless: (flags & constants.NGHTTP2_FLAG_END_STREAM) !== 0,
          trailers: () => trailers,
          destination,
        });
      });
      stream.once('trailers', (headers) => {
        trailers = fromH2Headers(headers);
      });

      const responseTimeoutMs = request.responseTimeoutMs ?? options.responseTimeoutMs;
      if (responseTimeoutMs > 0) {
        // Counted from the end of the request body so slow uploads (and client streams) are not cut off.
        const startTimer = (): void => {
          if (responded) return;
          responseTimer = setTimeout(() => stream.destroy(new ProxyError('response_timeout')), responseTimeoutMs);
        };
        if (request.bodyless) startTimer();
        else stream.once('finish', startTimer);
      }
      if (request.bodyless) return;
      stream.once('wantTrailers', () => stream.sendTrailers(toH2Headers(request.trailers())));
      // An empty HTTP/2 body may have ended (unread) before it got here; it would then never end the stream.
      if (request.body.readableEnded) stream.end();
      else stopPump = pump(request.body, stream);
    });
}

function requestHeaders(request: ProxyRequest, target: EndpointTarget): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {
    ':method': request.method,
    ':path': request.path,
    ':scheme': 'http',
    ':authority': request.authority || formatHostPort(target.addr),
  };
  return toH2Headers(h2Fields(request.headers), headers);
}
