import type { ProxyErrorKind } from '@meshviz/mesh-types';
import type { Destination, HttpTarget, ProxyRequest, ProxyResponse } from '../core/stage.js';

/**
 * Per-request events for observers other than metrics (the tap server subscribes here). The observe stage asks
 * once per request whether anyone wants to follow it, so an exchange nobody watches costs one call.
 */
export interface ExchangeEvents {
  onRequest(target: HttpTarget, request: ProxyRequest): ExchangeListener | undefined;
}

/** Follows one exchange. Bodies are streams: a listener that wants byte counts listens to `response.body`. */
export interface ExchangeListener {
  /**
   * Response headers are on their way to the client: the upstream's (`response` set), or the proxy's own error
   * answer (`response` undefined, `status` what was answered, null when nothing could be). `destination` is where
   * the exchange went: the response's, or for a failure the endpoint or service the failing stage was working on
   * (undefined when it failed before any was chosen).
   */
  onResponse?(
    response: ProxyResponse | undefined,
    status: number | null,
    sinceRequestMs: number,
    destination: Destination | undefined,
  ): void;
  onEnd?(end: ExchangeEnd): void;
}

export interface ExchangeEnd {
  readonly status: number | null;
  /** Why the exchange failed, when the proxy classified it (reset, timeout, no endpoints…). */
  readonly error: ProxyErrorKind | undefined;
  readonly grpcStatus: number | undefined;
  readonly sinceRequestMs: number;
}

export const NO_EXCHANGE_EVENTS: ExchangeEvents = { onRequest: () => undefined };
