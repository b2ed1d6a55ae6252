import type { ProxyErrorKind } from '@meshviz/mesh-types';
import { whenClosed } from '../core/body-close.js';
import { grpcStatusOf, isGrpcResponse } from '../core/grpc-status.js';
import type { ProxyResponse, Stage } from '../core/stage.js';
import type { EndpointTarget } from '../endpoint/forward.js';
import { ProxyError, toProxyError } from '../errors/proxy-error.js';
import type { EndpointState } from './endpoint-state.js';
import type { EndpointPool, Outcome } from './pool.js';

/**
 * Power of two choices: sample two endpoints, take the cheaper. Nearly as good as scanning for the cheapest,
 * without the herd behaviour of always picking the same minimum.
 */
export function pickEndpoint<T>(endpoints: readonly T[], cost: (endpoint: T) => number, random: () => number): T | undefined {
  if (endpoints.length <= 1) return endpoints[0];
  const first = Math.floor(random() * endpoints.length);
  // Second index drawn from the others, so the two candidates always differ.
  const second = (first + 1 + Math.floor(random() * (endpoints.length - 1))) % endpoints.length;
  const a = endpoints[first]!;
  const b = endpoints[second]!;
  return cost(b) < cost(a) ? b : a;
}

/**
 * gRPC statuses that count against an endpoint's breaker: DATA_LOSS, DEADLINE_EXCEEDED, INTERNAL, PERMISSION_DENIED,
 * UNAVAILABLE. Not the set metrics call failures (GRPC_FAILURE_STATUSES): an endpoint refusing a caller is a sign of
 * a broken replica, an Unknown from the app is not.
 */
const BREAKER_GRPC_FAILURES: ReadonlySet<number> = new Set([15, 4, 13, 7, 14]);
/** The endpoint failed us: it could not be reached, broke the exchange, or was too slow. */
const ENDPOINT_FAILURES: ReadonlySet<ProxyErrorKind> = new Set<ProxyErrorKind>([
  'connect_refused',
  'connect_timeout',
  'connect_error',
  'dns_error',
  'connection_reset',
  'response_timeout',
  'idle_timeout',
  'protocol_error',
  'tls_identity_mismatch',
  'tls_untrusted',
  'tls_handshake_error',
]);

/** Failures the endpoint answered with, or failures of the exchange; the caller leaving proves nothing. */
export function errorOutcome(kind: ProxyErrorKind): Outcome {
  return ENDPOINT_FAILURES.has(kind) ? 'failure' : 'neutral';
}

function responseOutcome(response: ProxyResponse, grpc: boolean): Outcome {
  const { body } = response;
  if (!body.readableEnded && body.errored) return errorOutcome(toProxyError(body.errored).kind);
  if (response.status >= 500) return 'failure';
  if (grpc) {
    const status = grpcStatusOf(response);
    if (status !== undefined && BREAKER_GRPC_FAILURES.has(status)) return 'failure';
  }
  return 'success';
}

/** The connection could not be made: nothing reached the endpoint, so the request may go to another one. */
const CONNECT_FAILURES: ReadonlySet<ProxyErrorKind> = new Set<ProxyErrorKind>(['connect_refused', 'connect_timeout', 'connect_error']);

/**
 * Balance stage: power of two choices over peak-EWMA cost (round-trip estimate × (requests in flight + 1)). The
 * round trip is measured per endpoint from dispatch to response headers (or failure); a request is in flight until
 * its response body closes (delivered, reset or abandoned), and how it ended is recorded for the endpoint's breaker.
 * A pool with no endpoint to offer (none listed, or every breaker open) fails fast with 503 no_endpoints.
 *
 * An endpoint that could not be connected to goes into its connect backoff, and a bodyless request that met it is
 * sent to another endpoint at once, as many times as the pool has other endpoints: no byte of it left the proxy,
 * so this is not a retry and spends no retry budget (a request with a body has started streaming it and goes back
 * to the retry stage, if its route has one). A retried attempt goes to an endpoint the request has not been to yet
 * while there is one (the retry stage lists them in `triedEndpoints`): the one that just failed it is the likeliest
 * to fail it again.
 */
export function balance(next: Stage<EndpointTarget>): Stage<EndpointPool> {
  return async (pool, request) => {
    const tried = new Set<EndpointState>();
    let lastError: ProxyError | undefined;
    for (;;) {
      const sent = performance.now();
      const state = pool.pick(sent, tried.size > 0 ? tried : undefined, request.triedEndpoints);
      if (!state) {
        if (lastError) throw lastError;
        throw new ProxyError('no_endpoints', { destination: pool.destination });
      }
      tried.add(state);
      request.triedEndpoints?.add(state.target.destination.key);
      const probe = state.breaker === 'probation';
      state.inFlight += 1;
      let response: ProxyResponse;
      try {
        response = await next(state.target, request);
      } catch (thrown) {
        const error = toProxyError(thrown, state.target.destination);
        state.inFlight -= 1;
        if (error.kind !== 'client_reset') {
          const now = performance.now();
          state.rtt.observe(now - sent, now);
        }
        pool.record(state, errorOutcome(error.kind), probe);
        if (!CONNECT_FAILURES.has(error.kind)) throw error;
        pool.connectFailed(state);
        if (!request.bodyless || request.signal.aborted) throw error;
        lastError = error;
        request.log.debug({ endpoint: state.target.destination.key, kind: error.kind }, 'connection failed, sending to another endpoint');
        continue;
      }
      const now = performance.now();
      state.rtt.observe(now - sent, now);
      pool.connected(state);
      const grpc = request.grpc && isGrpcResponse(response.headers);
      whenClosed(response.body, () => {
        state.inFlight -= 1;
        pool.record(state, responseOutcome(response, grpc), probe);
      });
      return response;
    }
  };
}
