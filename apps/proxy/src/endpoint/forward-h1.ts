import http, { type IncomingMessage } from 'node:http';
import { formatHostPort, type HostPort } from '@meshviz/runtime';
import { NO_TRAILERS, type ProxyRequest, type ProxyResponse, type Stage } from '../core/stage.js';
import { ProxyError, toProxyError } from '../errors/proxy-error.js';
import { MAX_HEADER_BYTES } from '../http/limits.js';
import { hasHeader, toPairs } from '../http/raw-headers.js';
import type { DestinationOption } from './agent.js';
import { type EndpointTarget, endedBody } from './forward.js';

export interface ForwardOptions {
  readonly agent: http.Agent;
  readonly connectTimeoutMs: number;
  /** Wait for response headers after the request was fully sent (unless the request carries its own); 0 waits forever. */
  readonly responseTimeoutMs: number;
}

// Later stages read a failed body's `errored` on 'close'; the 'error' event itself needs a listener only so an
// upstream reset cannot become an uncaught exception.
const ignore = (): void => {};

/** HTTP/1.1 endpoint stage: sends the request over the pooled agent and resolves at response headers. */
export function forwardHttp1(options: ForwardOptions): Stage<EndpointTarget> {
  return (target, request) =>
    new Promise<ProxyResponse>((resolve, reject) => {
      const { destination } = target;
      if (request.signal.aborted) {
        reject(toProxyError(request.signal.reason, destination));
        return;
      }
      let upstream: http.ClientRequest;
      try {
        const requestOptions: http.RequestOptions & DestinationOption = {
          host: target.addr.host,
          port: target.addr.port,
          method: request.method,
          path: request.path,
          headers: withHost(request.headers, target.addr),
          setHost: false,
          agent: options.agent,
          maxHeaderSize: MAX_HEADER_BYTES,
          meshDestination: destination,
        };
        upstream = http.request(requestOptions);
      } catch (error) {
        // Node validates outgoing header values more strictly than its parser accepts incoming ones.
        reject(toProxyError(error, destination));
        return;
      }

      let response: IncomingMessage | undefined;
      let responseTimer: NodeJS.Timeout | undefined;
      const onAbort = (): void => {
        response?.destroy(request.signal.reason);
        upstream.destroy(request.signal.reason);
      };
      request.signal.onAbort(onAbort);
      const settled = (): void => {
        clearTimeout(responseTimer);
        request.signal.offAbort(onAbort);
      };

      upstream.on('error', (error) => {
        clearTimeout(responseTimer);
        if (response) return; // after headers the body carries the failure (see ProxyResponse.body)
        settled();
        // Stop feeding the dead request and drain what the client still sends, so its connection stays
        // usable for the error answer and the next request.
        request.body.unpipe(upstream);
        request.body.resume();
        reject(toProxyError(error, destination));
      });

      upstream.once('socket', (socket) => {
        if (!socket.connecting) return; // a pooled connection, already open
        const timer = setTimeout(() => upstream.destroy(new ProxyError('connect_timeout')), options.connectTimeoutMs);
        socket.once('connect', () => clearTimeout(timer));
        socket.once('close', () => clearTimeout(timer));
      });

      const responseTimeoutMs = request.responseTimeoutMs ?? options.responseTimeoutMs;
      if (responseTimeoutMs > 0) {
        // Counted from the end of the request body so slow uploads are not cut off.
        upstream.once('finish', () => {
          if (response) return;
          responseTimer = setTimeout(
            () => upstream.destroy(new ProxyError('response_timeout')),
            responseTimeoutMs,
          );
        });
      }

      const { sendContinue } = request;
      if (sendContinue) upstream.once('continue', sendContinue);

      upstream.once('response', (res) => {
        clearTimeout(responseTimer);
        response = res;
        res.on('error', ignore);
        res.once('close', () => request.signal.offAbort(onAbort));
        resolve({
          status: res.statusCode ?? 502,
          statusMessage: res.statusMessage ?? '',
          headers: res.rawHeaders,
          body: res,
          bodyless: false,
          trailers: () => res.rawTrailers,
          destination,
        });
      });

      if (request.upgrade !== undefined) {
        const clientHead = request.upgrade;
        // The upgraded connection leaves the pool; from here on it is the HTTP stage's tunnel.
        upstream.once('upgrade', (res, socket, head) => {
          settled();
          if (clientHead.length > 0) socket.write(clientHead);
          resolve({
            status: 101,
            statusMessage: res.statusMessage ?? 'Switching Protocols',
            headers: res.rawHeaders,
            body: endedBody(),
            bodyless: true,
            trailers: NO_TRAILERS,
            destination,
            upgrade: { socket, head },
          });
        });
        upstream.end();
        return;
      }
      sendBody(request, upstream);
    });
}

/** HTTP/1.0 clients may omit Host; the upstream still needs one. */
function withHost(headers: string[], addr: HostPort): string[] {
  return hasHeader(headers, 'host') ? headers : [...headers, 'host', formatHostPort(addr)];
}

/**
 * Streams the request body with backpressure. `pipe` rather than `pipeline`: a failed upstream must not destroy
 * the client's request, or the client would lose the connection instead of getting the proxy's error answer.
 */
function sendBody(request: ProxyRequest, upstream: http.ClientRequest): void {
  const { body } = request;
  if (request.bodyless) {
    // Nothing to pipe; reading the (empty) request lets the client connection move on to its next request.
    upstream.end();
    body.resume();
    return;
  }
  body.once('end', () => {
    const trailers = request.trailers();
    if (trailers.length > 0) upstream.addTrailers(toPairs(trailers));
  });
  body.pipe(upstream);
}
