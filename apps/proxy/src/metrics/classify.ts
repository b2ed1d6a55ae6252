import type { Classification, ProxyErrorKind } from '@meshviz/mesh-types';

/** gRPC statuses that mean the server failed (Unknown, DeadlineExceeded, Internal, Unavailable, DataLoss), per DESIGN §3. */
const GRPC_FAILURE_CODES = new Set(['2', '4', '13', '14', '15']);

/**
 * Failure = a 5xx, a failing gRPC status, or an exchange the proxy had to classify as an error (reset, timeout,
 * no endpoints…). 4xx are successes for the mesh: the server answered as designed.
 */
export function classify(
  status: number | null,
  errorKind: ProxyErrorKind | undefined,
  grpcStatus?: string,
): Classification {
  if (errorKind !== undefined) return 'failure';
  if (status !== null && status >= 500) return 'failure';
  if (grpcStatus !== undefined && GRPC_FAILURE_CODES.has(grpcStatus)) return 'failure';
  return 'success';
}
