import http, { type IncomingMessage } from 'node:http';
import { ProxyError, toProxyError } from '../errors/proxy-error.js';
import type { Destination, ProxyRequest, ProxyResponse, Stage } from '../http/exchange.js';
import { hasHeader, toPairs } from '../http/raw-headers.js';
import { formatHostPort, type HostPort } from '../host-port.js';

/** The endpoint stage's target: one concrete address, and how metrics name it. */
export interface EndpointTarget {
  readonly addr: HostPort;
  readonly destination: Destination;
}

export interface ForwardOptions {
  readonly agent: http.Agent;
  readonly connectTimeoutMs: number;
  /** Wait for response headers after the request was fully sent; 0 waits forever. */
  readonly responseTimeoutMs: number;
}

// Later stages read a failed body's `errored` on 'close'; the 'error' event itself needs a listener only so an
// upstream reset cannot become an uncaught exception.
const ignore = (): void => {};

/** Endpoint stage: sends the request to one address over the pooled agent and resolves at response headers. */
export function forward(options: ForwardOptions): Stage<EndpointTarget> {
  return (target, request) =>
    new Promise<ProxyResponse>((resolve, reject) => {
      const { destination } = target;
      if (request.signal.aborted) {
        reject(toProxyError(request.signal.reason, destination));
        return;
      }
      let upstream: http.ClientRequest;
      try {
        upstream = http.request({
          host: target.addr.host,
          port: target.addr.port,
          method: request.method,
          path: request.path,
          headers: withHost(request.headers, target.addr),
          setHost: false,
          agent: options.agent,
        });
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
      request.signal.addEventListener('abort', onAbort, { once: true });

      upstream.on('error', (error) => {
        clearTimeout(responseTimer);
        if (response) return; // after headers the body carries the failure (see ProxyResponse.body)
        request.signal.removeEventListener('abort', onAbort);
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

      if (options.responseTimeoutMs > 0) {
        // Counted from the end of the request body so slow uploads are not cut off.
        upstream.once('finish', () => {
          if (response) return;
          responseTimer = setTimeout(
            () => upstream.destroy(new ProxyError('response_timeout')),
            options.responseTimeoutMs,
          );
        });
      }

      upstream.once('response', (res) => {
        clearTimeout(responseTimer);
        response = res;
        res.on('error', ignore);
        res.once('close', () => request.signal.removeEventListener('abort', onAbort));
        resolve({
          status: res.statusCode ?? 502,
          statusMessage: res.statusMessage ?? '',
          headers: res.rawHeaders,
          body: res,
          destination,
        });
      });

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
  body.once('end', () => {
    if (body.rawTrailers.length > 0) upstream.addTrailers(toPairs(body.rawTrailers));
  });
  body.pipe(upstream);
}
