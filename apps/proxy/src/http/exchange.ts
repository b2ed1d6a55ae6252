import type { Direction } from '@meshviz/mesh-types';
import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';

/**
 * The shapes every stage of the stack agrees on. A stage is a function of its own target type and the request;
 * it hands a narrower target to the next stage and resolves with the upstream's response once headers arrive.
 * Bodies stay streams end to end.
 */
export type Stage<T> = (target: T, request: ProxyRequest) => Promise<ProxyResponse>;

/** What the HTTP stage knows about a request before routing: the side it came in on and its Host. */
export interface HttpTarget {
  readonly direction: Direction;
  /** The Host header as sent (lower-cased), "" when absent. */
  readonly authority: string;
}

export interface ProxyRequest {
  readonly method: string;
  /** Request target exactly as received (origin form, or absolute form from proxy-aware clients). */
  readonly path: string;
  /** Flat raw header list (name, value, name, value…) with hop-by-hop fields already removed. */
  readonly headers: string[];
  readonly body: IncomingMessage;
  /** performance.now() when the request headers were parsed; latency is measured from here. */
  readonly receivedAt: number;
  /** Aborted with a client_reset ProxyError when the client goes away before the exchange finishes. */
  readonly signal: AbortSignal;
  readonly log: Logger;
}

export interface ProxyResponse {
  readonly status: number;
  readonly statusMessage: string;
  /** Raw upstream headers; the HTTP stage strips hop-by-hop fields before writing them. */
  readonly headers: string[];
  /**
   * The upstream body. Stages observe the exchange's end through its 'close' event: `readableEnded` means the
   * body was delivered, otherwise `errored` says why not.
   */
  readonly body: IncomingMessage;
  readonly destination: Destination;
}

/**
 * Where a request went, as metrics label it. Built once per endpoint or service (not per request) so the
 * metrics stage can cache its series by `key`.
 */
export interface Destination {
  readonly key: string;
  /** host:port that was dialled; "" when nothing was (no endpoints). */
  readonly targetAddr: string;
  /** Discovery metadata; absent for inbound traffic and unmeshed destinations. */
  readonly meta?: {
    readonly service: string;
    readonly namespace: string;
    readonly deployment?: string;
    readonly pod?: string;
  };
}
