import type { FailureAccrual, RetryPolicy, RouteConfigured, RouteRetryRates, RouteTimeoutRates } from '@meshviz/mesh-types';
import { formatPercentTick, formatRpsWithUnit, NO_DATA } from './format';

/**
 * How the dashboard words a route's configured policy (timeouts, retries, faults) and a service's failure accrual:
 * as an operator would say it. Pure functions, no React.
 */

/** A configured duration: "500 ms", "1 s", "1.5 s", "2 min". */
export function formatDurationMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return NO_DATA;
  if (ms < 1000) return `${ms} ms`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/** The route's timeouts: the whole request's first, then each attempt's and a stalled body's; "none" if none is set. */
export function formatTimeouts(configured: RouteConfigured): string {
  const { requestMs, responseMs, idleMs } = configured.timeouts;
  const parts = [
    requestMs === null ? null : formatDurationMs(requestMs),
    responseMs === null ? null : `${formatDurationMs(responseMs)} per attempt`,
    idleMs === null ? null : `${formatDurationMs(idleMs)} idle`,
  ].filter((p): p is string => p !== null);
  return parts.length === 0 ? 'none' : parts.join(' · ');
}

/** "5xx", "502–504", "503"; gRPC codes by number. */
export function formatRetried(policy: Pick<RetryPolicy, 'httpStatuses' | 'grpcCodes'>): string {
  const http = policy.httpStatuses.map(([from, to]) =>
    from === to ? String(from) : from % 100 === 0 && to === from + 99 ? `${from / 100}xx` : `${from}–${to}`,
  );
  const grpc = policy.grpcCodes.length === 0 ? [] : [`gRPC ${policy.grpcCodes.join(', ')}`];
  const all = [...http, ...grpc];
  return all.length === 0 ? 'failed connections' : all.join(', ');
}

/** "up to 2× on 5xx, 300 ms per attempt", or "none". */
export function formatRetryPolicy(configured: RouteConfigured): string {
  const policy = configured.retry;
  if (policy === null || policy.limit === 0) return 'none';
  const perAttempt = policy.perAttemptTimeoutMs === null ? '' : `, ${formatDurationMs(policy.perAttemptTimeoutMs)} per attempt`;
  return `up to ${policy.limit}× on ${formatRetried(policy)}${perAttempt}`;
}

/** "aborts 10% with 503 · delays 5% by 200 ms", or null without fault injection. */
export function formatFault(configured: RouteConfigured): string | null {
  const fault = configured.fault;
  if (fault === null) return null;
  const parts = [
    fault.abort ? `aborts ${formatPercentTick(fault.abort.share)} with ${fault.abort.status}` : null,
    fault.delay ? `delays ${formatPercentTick(fault.delay.share)} by ${formatDurationMs(fault.delay.ms)}` : null,
  ].filter((p): p is string => p !== null);
  return parts.length === 0 ? null : parts.join(' · ');
}

/** What a route's retries did, for a tooltip: sent, succeeded, ran out, refused by the budget. */
export function describeRetries(r: RouteRetryRates): string {
  const part = (v: number | null, what: string) => (v === null ? null : `${formatRpsWithUnit(v)} ${what}`);
  return [
    part(r.rps, 'retries sent'),
    part(r.successRps, 'retries succeeded'),
    part(r.limitExceededRps, 'requests ran out of retries'),
    part(r.overflowRps, 'retries refused by the retry budget'),
  ]
    .filter((p): p is string => p !== null)
    .join('; ');
}

/** All timed-out requests per second of a route, whatever the kind. */
export const timedOut = (t: RouteTimeoutRates): number => t.request + t.response + t.idle;

/** Timeouts by kind, for a tooltip: "0.050 rps of the request timeout, 0 per attempt, 0 idle, of 5.00 rps". */
export function describeTimeouts(t: RouteTimeoutRates): string {
  return `${formatRpsWithUnit(t.request)} hit the request timeout, ${formatRpsWithUnit(t.response)} the per-attempt timeout, ${formatRpsWithUnit(t.idle)} the idle timeout, of ${formatRpsWithUnit(t.rps)}`;
}

/** "trips after 7 failures in a row, for 1 s to 1 min (jitter 0.5)", or "none: endpoints are never tripped". */
export function formatAccrual(a: FailureAccrual): string {
  if (a.kind === 'none') return 'none: endpoints are never tripped';
  return `trips an endpoint after ${a.maxFailures} failures in a row, for ${formatDurationMs(a.minPenaltyMs)} to ${formatDurationMs(a.maxPenaltyMs)} (jitter ${a.jitter})`;
}
