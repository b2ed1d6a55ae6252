import type { ProxyErrorKind } from '@meshviz/mesh-types';
import { whenClosed } from '../core/body-close.js';
import { grpcStatusOf } from '../core/grpc-status.js';
import type { ProxyResponse } from '../core/stage.js';
import { toProxyError } from '../errors/proxy-error.js';

/** How a response ended, seen from the client's side of the proxy. */
export interface Outcome {
  /** Set when the body did not arrive whole: upstream reset (connection_reset) or the client left (client_reset). */
  readonly error: ProxyErrorKind | undefined;
  /** The grpc-status of a gRPC response (trailers, or the headers of a trailers-only answer). */
  readonly grpcStatus: number | undefined;
}

/**
 * Calls `done` once the response body closes. The caller passes `grpc` only for gRPC requests, so plain HTTP
 * never scans headers for a status it cannot have.
 */
export function onOutcome(response: ProxyResponse, grpc: boolean, done: (outcome: Outcome) => void): void {
  const { body } = response;
  whenClosed(body, () => {
    // Not ended means the body was cut: by the upstream (reset) or by the client leaving (client_reset).
    const error = body.readableEnded ? undefined : toProxyError(body.errored ?? resetWithoutCause()).kind;
    done({ error, grpcStatus: grpc ? grpcStatusOf(response) : undefined });
  });
}

function resetWithoutCause(): Error {
  return Object.assign(new Error('response body closed early'), { code: 'ECONNRESET' });
}
