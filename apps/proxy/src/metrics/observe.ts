import { type ExchangeEvents, NO_EXCHANGE_EVENTS } from '../core/exchange-events.js';
import { isGrpcResponse } from '../core/grpc-status.js';
import { callStage, type Destination, type HttpTarget, type Stage } from '../core/stage.js';
import { exchangeTls } from '../core/tls-status.js';
import { toProxyError } from '../errors/proxy-error.js';
import { errorAnswer } from '../errors/respond.js';
import { classify } from './classify.js';
import type { HttpSeries } from './http-series.js';
import { onOutcome } from './outcome.js';

/** Labels a failure that happened before any destination was chosen (e.g. an invalid Host). */
const NOWHERE: Destination = { key: 'none', targetAddr: '' };

/**
 * Metrics stage: counts every exchange once, as the client saw it, under the destination the inner stages
 * reached. Latency is taken at response headers (or at the proxy's own error answer); response_total is counted
 * when the response body closes, so a reset mid-body is a failure even though a 200 was already sent. gRPC
 * latency is recorded at the end too, because its grpc_status label is only known from the trailers.
 * `events` is where per-request observers (tap) hook in. Inbound it sits below the decide stage, so requests the
 * policy refuses (403, 404) are counted here too, under the decision's srv_*, route_* and authz_* labels.
 */
export function observe(
  series: HttpSeries,
  next: Stage<HttpTarget>,
  events: ExchangeEvents = NO_EXCHANGE_EVENTS,
): Stage<HttpTarget> {
  return (target, request) => {
    const listener = events.onRequest(target, request);
    return callStage(next, target, request).then(
      (response) => {
        const entry = series.get(
          target.direction,
          target.authority,
          response.destination,
          exchangeTls(target, response.destination),
          target.authz,
        );
        const { status } = response;
        const latency = performance.now() - request.receivedAt;
        const grpc = request.grpc && isGrpcResponse(response.headers);
        entry.countRequest();
        if (!grpc) entry.observeLatency(status, latency);
        listener?.onResponse?.(response, status, latency, response.destination);
        onOutcome(response, grpc, ({ error, grpcStatus }) => {
          if (grpc) entry.observeLatency(status, latency, grpcStatus);
          entry.countResponse(status, classify(status, error, grpcStatus), error, grpcStatus);
          listener?.onEnd?.({ status, error, grpcStatus, sinceRequestMs: performance.now() - request.receivedAt });
        });
        return response;
      },
      (thrown: unknown) => {
        const error = toProxyError(thrown);
        const destination = error.destination ?? NOWHERE;
        const entry = series.get(target.direction, target.authority, destination, exchangeTls(target, destination), target.authz);
        const { status, grpcStatus } = errorAnswer(error.kind, request.grpc);
        const ms = performance.now() - request.receivedAt;
        entry.countRequest();
        if (status !== null) entry.observeLatency(status, ms, grpcStatus);
        entry.countResponse(status, classify(status, error.kind, grpcStatus), error.kind, grpcStatus);
        listener?.onResponse?.(undefined, status, ms, error.destination);
        listener?.onEnd?.({ status, error: error.kind, grpcStatus, sinceRequestMs: ms });
        throw error;
      },
    );
  };
}
