import { z } from 'zod';
import { FaultInjection, RetryPolicy, RouteTimeouts } from './outbound.js';

/**
 * What the API shows of outbound reliability (outbound.ts is what the proxies enforce): a route's configured
 * policy beside what its retries and timeouts did, a service's traffic split (configured weight beside measured
 * share) and the state of its backends' endpoints as its callers' balancers see them. "Configured" comes from the
 * discovery table the control plane compiles (the API's API_DESTINATIONS_FILE), "measured" from Prometheus.
 */

const Measured = z.number().nullable();

/**
 * Whether the configured policy was known when the answer was made. `reason` says why not (no destinations file
 * given, the file missing or invalid, no entry for the service, a workload's routes, which are not configured
 * per caller); configured fields are then null.
 */
export const ConfiguredSource = z.object({
  known: z.boolean(),
  reason: z.string().nullable(),
});
export type ConfiguredSource = z.infer<typeof ConfiguredSource>;

/** A route's policy as configured: timeouts (null fields: none set), retries and fault injection (null: none). */
export const RouteConfigured = z.object({
  timeouts: RouteTimeouts,
  retry: RetryPolicy.nullable(),
  fault: FaultInjection.nullable(),
});
export type RouteConfigured = z.infer<typeof RouteConfigured>;

/**
 * A route's retries per second over the window, from the callers' proxies
 * (`outbound_http_route_retry_{requests,successes,limit_exceeded,overflow}_total`): `rps` retries sent,
 * `successRps` retries that succeeded, `limitExceededRps` requests that failed with their retries used up,
 * `overflowRps` retries not sent because the retry budget was spent. Each null when its family has no series for
 * the route in the window (0 is a measured 0).
 */
export const RouteRetryRates = z.object({
  rps: Measured,
  successRps: Measured,
  limitExceededRps: Measured,
  overflowRps: Measured,
});
export type RouteRetryRates = z.infer<typeof RouteRetryRates>;

/**
 * Requests per second of a route that ended in each kind of timeout (`error` of
 * `outbound_http_route_request_statuses_total`: REQUEST_TIMEOUT, RESPONSE_HEADERS_TIMEOUT, IDLE_TIMEOUT), out of
 * `rps` requests the family counted; 0 when it counted requests and none timed out.
 */
export const RouteTimeoutRates = z.object({
  rps: z.number(),
  request: z.number(),
  response: z.number(),
  idle: z.number(),
});
export type RouteTimeoutRates = z.infer<typeof RouteTimeoutRates>;

/** A backend of a route: a Service, named as the backend_* labels name it, and the authority it is addressed by. */
export const BackendRef = z.object({
  namespace: z.string(),
  name: z.string(),
  authority: z.string(),
});
export type BackendRef = z.infer<typeof BackendRef>;

/**
 * One backend of one route of a split: its configured weight (and that weight's share of the route's weights)
 * beside the share of the route's requests it measurably took (`outbound_http_route_backend_requests_total`,
 * attempts included), with its rate and success rate (`…_backend_response_statuses_total`: a 5xx or an `error`
 * other than a policy refusal fails). `measuredShare` is 0 when the route had requests and this backend none,
 * null when the route had none; the configured fields are null when the configuration is not known or does not
 * list this backend.
 */
export const SplitBackend = z.object({
  route: z.object({ kind: z.string(), name: z.string() }),
  backend: BackendRef,
  configuredWeight: z.number().int().nonnegative().nullable(),
  configuredShare: Measured,
  measuredShare: Measured,
  rps: Measured,
  successRate: Measured,
});
export type SplitBackend = z.infer<typeof SplitBackend>;

/** An endpoint whose breaker tripped in the window: its address, its pod when discovery names it, and how often. */
export const EndpointTrips = z.object({
  endpoint: z.string(),
  pod: z.string().nullable(),
  /**
   * Trips in the window over all callers' proxies (`outbound_http_balancer_breaker_transitions_total{state="tripped"}`),
   * extrapolated to the window as Prometheus' increase() does, so not always a whole number.
   */
  trips: z.number().nonnegative(),
});
export type EndpointTrips = z.infer<typeof EndpointTrips>;

/**
 * A backend's endpoints as the callers' balancers hold them (`outbound_http_balancer_endpoints`, one gauge per
 * calling proxy): `ready` the fewest any calling proxy holds ready, `pending` the most any holds pending (not yet
 * ready, or tripped by the breaker and waiting out its penalty), `proxies` how many calling proxies report; both
 * null when none does. `trips`: the endpoints whose breaker tripped in the window, most first.
 */
export const BackendEndpoints = z.object({
  backend: BackendRef,
  ready: z.number().int().nonnegative().nullable(),
  pending: z.number().int().nonnegative().nullable(),
  proxies: z.number().int().nonnegative(),
  trips: z.array(EndpointTrips),
});
export type BackendEndpoints = z.infer<typeof BackendEndpoints>;
