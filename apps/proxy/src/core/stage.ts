import type { Duplex, Readable } from 'node:stream';
import type { Direction } from '@meshviz/mesh-types';
import type { HostPort } from '@meshviz/runtime';
import type { Logger } from 'pino';
import type { AuthzDecision } from './authz.js';
import type { ExchangeSignal } from './exchange-signal.js';
import type { TlsStatus } from './tls-status.js';

/**
 * The shapes every stage of the stack agrees on. A stage is a function of its own target type and the request;
 * it hands a narrower target to the next stage and resolves with the upstream's response once headers arrive.
 * Bodies stay streams end to end, whatever the protocol: HTTP/1.1 and HTTP/2 meet in these types, so observe,
 * route, retry and balance are written once.
 */
export type Stage<T> = (target: T, request: ProxyRequest) => Promise<ProxyResponse>;

/**
 * Calls a stage and turns a synchronous throw into a rejection, for stages written with `.then` instead of
 * `async` (an async function per request costs its promise, its generator frame and the await's own promises).
 */
export function callStage<T>(next: Stage<T>, target: T, request: ProxyRequest): Promise<ProxyResponse> {
  try {
    return next(target, request);
  } catch (thrown) {
    return Promise.reject(thrown);
  }
}

/** The client's protocol; the protocol towards the upstream mirrors it. */
export type HttpVersion = 'http/1.1' | 'h2';

/** What the HTTP stage knows about a request before routing: the side it came in on and its authority. */
export interface HttpTarget {
  readonly direction: Direction;
  /** The Host (HTTP/1.1) or :authority (HTTP/2) as sent, lower-cased, "" when absent or malformed. */
  readonly authority: string;
  /**
   * The authority the connection itself was addressed to, when the listener knows it (an outbound TCP target
   * port); routing then uses it instead of the request's own authority.
   */
  readonly logical: string | undefined;
  /** Transparent interception: the connection's destination before iptables redirected it (see Accepted). */
  readonly original?: HostPort | undefined;
  /** The client connection's TLS: inbound, the mTLS client identity or why there is none; outbound, loopback. */
  readonly tls: TlsStatus;
  /**
   * Inbound: the policy's decision for this request, set by the decide stage (the outermost) on the target the
   * HTTP stage built for this request, so the stages below read it without a new target per request.
   */
  authz?: AuthzDecision;
}

export interface ProxyRequest {
  readonly version: HttpVersion;
  readonly method: string;
  /** Request target exactly as received (origin form, or absolute form from proxy-aware HTTP/1.1 clients). */
  readonly path: string;
  /** The authority exactly as sent (Host or :authority), "" when absent; an HTTP/2 upstream request needs it. */
  readonly authority: string;
  /** Flat raw header list (name, value, name, value…) without pseudo-headers and hop-by-hop fields. */
  readonly headers: string[];
  /** Remote host:port of the client connection. */
  readonly peer: string;
  readonly body: Readable;
  /** Known to carry no body at all (HTTP/2 END_STREAM on HEADERS; HTTP/1.1 with neither length nor chunking). */
  readonly bodyless: boolean;
  /** The body's trailers once it has ended: a flat raw list, empty when there were none. */
  trailers(): readonly string[];
  /** content-type application/grpc: errors are answered as gRPC statuses and metrics carry grpc_status. */
  readonly grpc: boolean;
  /** HTTP/1.1 Upgrade (WebSocket and others): the bytes the client sent after its request head. */
  readonly upgrade: Buffer | undefined;
  /**
   * HTTP/1.1 `Expect: 100-continue`: sends the client its interim 100, which the proxy does only once the
   * upstream has sent one, so an upstream that refuses the body (413, 401…) still gets to say so first.
   */
  readonly sendContinue: (() => void) | undefined;
  /** performance.now() when the request headers were parsed; latency is measured from here. */
  readonly receivedAt: number;
  /**
   * Aborted with a client_reset ProxyError when the client goes away before the exchange finishes (and, below an
   * outbound route's timeout stage, with the timeout's error when the request runs out of time).
   */
  readonly signal: ExchangeSignal;
  /**
   * How long each attempt waits for response headers once the request is sent, when the route sets it (0: no
   * limit); absent: PROXY_RESPONSE_TIMEOUT.
   */
  readonly responseTimeoutMs?: number;
  /**
   * Set by the retry stage on every attempt of a request it may send again: the endpoints (destination keys) its
   * attempts went to, which the balancer passes over for a retry while another endpoint can take it.
   */
  readonly triedEndpoints?: Set<string>;
  readonly log: Logger;
}

export interface ProxyResponse {
  readonly status: number;
  /** HTTP/1.1 reason phrase; "" from HTTP/2 upstreams. */
  readonly statusMessage: string;
  /** Raw upstream headers (no pseudo-headers); the HTTP stages strip hop-by-hop fields before writing them. */
  readonly headers: string[];
  /**
   * The upstream body. Stages observe the exchange's end through its 'close' event: `readableEnded` means the
   * body was delivered, otherwise `errored` says why not.
   */
  readonly body: Readable;
  /** The response ended with its headers (HTTP/2 trailers-only answers, e.g. most gRPC errors). */
  readonly bodyless: boolean;
  /** The body's trailers once it has ended (flat raw list). */
  trailers(): readonly string[];
  readonly destination: Destination;
  /** A 101 to an HTTP/1.1 Upgrade: the upstream connection, now a byte stream, and bytes already read from it. */
  readonly upgrade?: { readonly socket: Duplex; readonly head: Buffer };
}

/**
 * Where a request went, as metrics label it. Built once per endpoint or service (not per request) so the
 * metrics stage can cache its series by `key`.
 */
export interface Destination {
  readonly key: string;
  /** host:port that was dialled; "" when nothing was (no endpoints). */
  readonly targetAddr: string;
  /**
   * Outbound: whether the connection to this endpoint is mTLS and the identity the endpoint must present, or why
   * not (discovery gave no identity). Absent for inbound traffic, whose TLS is the client connection's.
   */
  readonly tls?: TlsStatus;
  /** Discovery metadata; absent for inbound traffic and unmeshed destinations. */
  readonly meta?: {
    readonly service: string;
    readonly namespace: string;
    readonly deployment?: string;
    readonly pod?: string;
  };
}

/** Shared by bodies that carry no trailers, so no closure is allocated per request for them. */
export const NO_TRAILERS = (): readonly string[] => EMPTY;
const EMPTY: readonly string[] = Object.freeze([]);
