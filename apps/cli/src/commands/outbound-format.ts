import type { RetryPolicy, RouteConfigured } from '@meshviz/mesh-types';

/** A configured duration as an operator writes it: 500ms, 1s, 1.5s, 2m. */
export function fmtDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000 || ms % 60_000 !== 0) return `${Number((ms / 1000).toFixed(3))}s`;
  return `${ms / 60_000}m`;
}

/** A route's configured timeouts: "500ms" (the whole request), with "resp=" (each attempt) and "idle=" when set. */
export function fmtTimeouts(configured: RouteConfigured | null | undefined): string {
  if (!configured) return '-';
  const { requestMs, responseMs, idleMs } = configured.timeouts;
  const parts = [
    requestMs === null ? null : fmtDuration(requestMs),
    responseMs === null ? null : `resp=${fmtDuration(responseMs)}`,
    idleMs === null ? null : `idle=${fmtDuration(idleMs)}`,
  ].filter((p): p is string => p !== null);
  return parts.length === 0 ? 'none' : parts.join(',');
}

const range = ([from, to]: readonly [number, number]): string => {
  if (from === to) return String(from);
  if (from % 100 === 0 && to === from + 99) return `${from / 100}xx`;
  return `${from}-${to}`;
};

/** What a retry policy retries: HTTP status ranges (5xx, 502-504) and gRPC codes. */
function retried(policy: RetryPolicy): string {
  const parts = [...policy.httpStatuses.map(range), ...policy.grpcCodes.map((c) => `grpc:${c}`)];
  return parts.length === 0 ? 'connect' : parts.join('|');
}

/** A route's configured retries: "2x 5xx", "2x 5xx/300ms" with a per-attempt timeout, "none". */
export function fmtRetry(configured: RouteConfigured | null | undefined): string {
  if (!configured) return '-';
  const policy = configured.retry;
  if (policy === null || policy.limit === 0) return 'none';
  const perAttempt = policy.perAttemptTimeoutMs === null ? '' : `/${fmtDuration(policy.perAttemptTimeoutMs)}`;
  return `${policy.limit}x ${retried(policy)}${perAttempt}`;
}
