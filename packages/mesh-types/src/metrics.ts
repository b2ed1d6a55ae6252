/**
 * Metric families and label keys the proxy emits. The names and labels match linkerd2-proxy on purpose, so the
 * API and dashboard also work over a Prometheus that scrapes a Linkerd mesh.
 */
export const METRIC = {
  requestTotal: 'request_total',
  responseTotal: 'response_total',
  responseLatencyMs: 'response_latency_ms',
  routeRequestTotal: 'route_request_total',
  routeResponseTotal: 'route_response_total',
  routeResponseLatencyMs: 'route_response_latency_ms',
  routeActualRequestTotal: 'route_actual_request_total',
  routeActualResponseTotal: 'route_actual_response_total',
  tcpOpenTotal: 'tcp_open_total',
  tcpCloseTotal: 'tcp_close_total',
  tcpOpenConnections: 'tcp_open_connections',
  tcpReadBytesTotal: 'tcp_read_bytes_total',
  tcpWriteBytesTotal: 'tcp_write_bytes_total',
  tcpConnectionDurationMs: 'tcp_connection_duration_ms',
  proxyBuildInfo: 'proxy_build_info',
} as const;

/** Labels the proxy itself puts on its series. */
export const LABEL = {
  direction: 'direction',
  authority: 'authority',
  tls: 'tls',
  noTlsReason: 'no_tls_reason',
  clientId: 'client_id',
  serverId: 'server_id',
  dstNamespace: 'dst_namespace',
  dstDeployment: 'dst_deployment',
  dstPod: 'dst_pod',
  dstService: 'dst_service',
  targetAddr: 'target_addr',
  statusCode: 'status_code',
  classification: 'classification',
  grpcStatus: 'grpc_status',
  errorKind: 'error',
  dst: 'dst',
  rtRoute: 'rt_route',
  peer: 'peer',
  le: 'le',
} as const;

/** Labels Prometheus adds at scrape time (file_sd in local mode, kubernetes_sd relabelling in clusters). */
export const TARGET_LABEL = {
  namespace: 'namespace',
  deployment: 'deployment',
  pod: 'pod',
} as const;

export const DIRECTIONS = ['inbound', 'outbound'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const CLASSIFICATIONS = ['success', 'failure'] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

/**
 * Latency histogram buckets in milliseconds: three sub-millisecond buckets (a mesh hop on loopback is often
 * below 1 ms), then linkerd2-proxy's own bounds.
 */
export const LATENCY_BUCKETS_MS: readonly number[] = [
  0.1, 0.25, 0.5, 1, 2, 3, 4, 5, 10, 20, 30, 40, 50, 100, 200, 300, 400, 500, 1000, 2000, 3000, 4000, 5000,
  10000, 20000, 30000, 40000, 50000,
];

/** gRPC statuses that count as failures: Unknown, DeadlineExceeded, Internal, Unavailable, DataLoss. */
export const GRPC_FAILURE_STATUSES: readonly number[] = [2, 4, 13, 14, 15];
