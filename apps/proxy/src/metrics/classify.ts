import { type Classification, GRPC_FAILURE_STATUSES, POLICY_ERROR_KINDS, type ProxyErrorKind } from '@meshviz/mesh-types';

const GRPC_FAILURES = new Set(GRPC_FAILURE_STATUSES);

/**
 * Failure = a 5xx, a failing gRPC status (docs/architecture.md), or an exchange the proxy had to classify as an error
 * (reset, timeout, no endpoints…). 4xx are successes for the mesh: the server answered as designed; so are the
 * proxy's own policy refusals (unauthorized, route_not_found), which authz metrics count apart.
 */
export function classify(
  status: number | null,
  errorKind: ProxyErrorKind | undefined,
  grpcStatus?: number,
): Classification {
  if (errorKind !== undefined) return POLICY_ERROR_KINDS.has(errorKind) ? 'success' : 'failure';
  if (status !== null && status >= 500) return 'failure';
  if (grpcStatus !== undefined && GRPC_FAILURES.has(grpcStatus)) return 'failure';
  return 'success';
}
