import type { ServerResponse } from 'node:http';
import { constants } from 'node:http2';
import { PROXY_ERROR_HEADER, type ProxyErrorKind } from '@meshviz/mesh-types';
import type { ProxyRequest } from '../core/stage.js';
import { toProxyError } from './proxy-error.js';

/** gRPC status codes the proxy answers with (grpc/doc/statuscodes.md). */
const UNAVAILABLE = 14;
const DEADLINE_EXCEEDED = 4;
const INTERNAL = 13;
const NOT_FOUND = 5;
const PERMISSION_DENIED = 7;

/**
 * The one place where failure kinds become answers. `status: null` means no response can be sent (the client is
 * gone). 502: the upstream misbehaved; 503: nowhere to send it; 504: the upstream was too slow. gRPC clients get
 * HTTP 200 with the matching gRPC status instead, as gRPC proxies answer, because gRPC libraries read a 5xx as
 * a transport failure and lose the proxy's explanation.
 */
export const ERROR_RESPONSES: Readonly<
  Record<ProxyErrorKind, { status: number | null; grpcStatus: number | null; text: string }>
> = {
  connect_refused: { status: 502, grpcStatus: UNAVAILABLE, text: 'the upstream refused the connection' },
  connect_timeout: { status: 504, grpcStatus: UNAVAILABLE, text: 'connecting to the upstream timed out' },
  connect_error: { status: 502, grpcStatus: UNAVAILABLE, text: 'the upstream could not be reached' },
  dns_error: { status: 502, grpcStatus: UNAVAILABLE, text: 'the destination host name did not resolve' },
  connection_reset: {
    status: 502,
    grpcStatus: UNAVAILABLE,
    text: 'the upstream closed the connection before responding',
  },
  response_timeout: { status: 504, grpcStatus: DEADLINE_EXCEEDED, text: 'the upstream did not respond in time' },
  request_timeout: { status: 504, grpcStatus: DEADLINE_EXCEEDED, text: "the request did not finish within its route's timeout" },
  idle_timeout: { status: 504, grpcStatus: DEADLINE_EXCEEDED, text: "the exchange stalled longer than its route's idle timeout" },
  protocol_error: { status: 502, grpcStatus: INTERNAL, text: 'the upstream sent an invalid HTTP response' },
  tls_identity_mismatch: {
    status: 502,
    grpcStatus: UNAVAILABLE,
    text: 'the upstream presented another identity than service discovery named',
  },
  tls_untrusted: {
    status: 502,
    grpcStatus: UNAVAILABLE,
    text: "the upstream's certificate is not valid for this mesh (expired, or from another trust anchor)",
  },
  tls_handshake_error: { status: 502, grpcStatus: UNAVAILABLE, text: 'the mTLS handshake with the upstream failed' },
  identity_not_ready: {
    status: 503,
    grpcStatus: UNAVAILABLE,
    text: 'this proxy has no certificate yet, and the upstream requires mTLS',
  },
  unauthorized: {
    status: 403,
    grpcStatus: PERMISSION_DENIED,
    text: "no authorization of this server's policy allows this client",
  },
  route_not_found: { status: 404, grpcStatus: NOT_FOUND, text: "no route of this server's policy matches the request" },
  no_endpoints: {
    status: 503,
    grpcStatus: UNAVAILABLE,
    text: 'the service has no endpoint ready (none in discovery, or every breaker open)',
  },
  invalid_authority: { status: 400, grpcStatus: INTERNAL, text: 'the Host header is not a valid authority' },
  client_reset: { status: null, grpcStatus: null, text: 'the client closed the connection' },
  internal_error: { status: 502, grpcStatus: INTERNAL, text: 'the proxy failed unexpectedly' },
};

/** Status the proxy answers for a kind, or null when nothing can be answered. */
export function errorStatus(kind: ProxyErrorKind): number | null {
  return ERROR_RESPONSES[kind].status;
}

/** What the client is told for a kind, as metrics label it: HTTP status, and the gRPC status for gRPC requests. */
export function errorAnswer(kind: ProxyErrorKind, grpc: boolean): { status: number | null; grpcStatus?: number } {
  const { status, grpcStatus } = ERROR_RESPONSES[kind];
  if (status === null || !grpc || grpcStatus === null) return { status };
  return { status: 200, grpcStatus };
}

/** Writes the proxy's own HTTP/1.1 answer for a failure; a no-op when the client is gone or headers already left. */
export function writeErrorResponse(res: ServerResponse, kind: ProxyErrorKind, closeConnection: boolean): void {
  const { status, text } = ERROR_RESPONSES[kind];
  if (status === null || res.headersSent || res.destroyed) {
    if (!res.writableEnded) res.destroy();
    return;
  }
  const body = `meshviz proxy: ${kind}: ${text}\n`;
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    [PROXY_ERROR_HEADER]: kind,
    ...(closeConnection ? { connection: 'close' } : {}),
  });
  res.end(body);
}

/**
 * What an HTTP/2 error answer needs of a server stream: Node's ServerHttp2Stream (adapted in http/h2-server.ts) or
 * the proxy's own (h2/server-stream.ts).
 */
export interface H2ErrorSink {
  /** The stream can carry nothing more (closed or reset). */
  readonly gone: boolean;
  readonly headersSent: boolean;
  /** Sends a head (`fields` starts with :status) and, when given, a body; the stream ends with them. */
  answer(fields: string[], body: string | undefined): void;
  reset(code: number): void;
}

/**
 * The HTTP/2 counterpart. gRPC requests get a trailers-only answer (status in the headers, stream ended with
 * them). When nothing can be answered any more, the stream is reset, which is how HTTP/2 says "incomplete".
 */
export function writeH2ErrorResponse(stream: H2ErrorSink, kind: ProxyErrorKind, grpc: boolean): void {
  if (stream.gone) return;
  const { status, grpcStatus, text } = ERROR_RESPONSES[kind];
  if (status === null || stream.headersSent) {
    stream.reset(status === null ? constants.NGHTTP2_CANCEL : constants.NGHTTP2_INTERNAL_ERROR);
    return;
  }
  if (grpc && grpcStatus !== null) {
    stream.answer(
      [
        ':status',
        '200',
        'content-type',
        'application/grpc',
        'grpc-status',
        String(grpcStatus),
        // Printable ASCII needs no percent-encoding in grpc-message.
        'grpc-message',
        `meshviz proxy: ${kind}: ${text}`,
        PROXY_ERROR_HEADER,
        kind,
      ],
      undefined,
    );
    return;
  }
  const body = `meshviz proxy: ${kind}: ${text}\n`;
  stream.answer(
    [
      ':status',
      String(status),
      'content-type',
      'text/plain; charset=utf-8',
      'content-length',
      String(Buffer.byteLength(body)),
      PROXY_ERROR_HEADER,
      kind,
    ],
    body,
  );
}

/**
 * A request the stack failed, on either HTTP/2 server: logged as the proxy logs failures, its body (which may still
 * be arriving) read so flow control does not stall the connection, and the proxy's error answer sent.
 */
export function answerH2Failure(thrown: unknown, request: ProxyRequest, sink: H2ErrorSink): void {
  const error = toProxyError(thrown);
  if (error.kind === 'internal_error') request.log.error({ err: error.cause ?? error }, 'proxy error');
  else request.log.debug({ kind: error.kind, err: error.cause }, 'request failed');
  if (!request.bodyless) request.body.resume();
  writeH2ErrorResponse(sink, error.kind, request.grpc);
}
