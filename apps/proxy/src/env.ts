import type { EnvName, EnvValues } from '@meshviz/runtime/env';

/**
 * The proxy's environment variables by name: config.ts reads exactly these (its schema is checked against them),
 * and launchers (`meshviz up`) build a proxy's environment from them, so a renamed or removed variable is a type
 * error where it is set. This module imports nothing at run time, so a launcher can take it (`@meshviz/proxy/env`) without the
 * proxy's server code. What each one means: the README's table.
 */
export const PROXY_ENV = {
  interception: 'PROXY_INTERCEPTION',
  inboundListenAddr: 'PROXY_INBOUND_LISTEN_ADDR',
  inboundForwardAddr: 'PROXY_INBOUND_FORWARD_ADDR',
  outboundListenAddr: 'PROXY_OUTBOUND_LISTEN_ADDR',
  adminListenAddr: 'PROXY_ADMIN_LISTEN_ADDR',
  tapListenAddr: 'PROXY_TAP_LISTEN_ADDR',
  tapToken: 'PROXY_TAP_TOKEN',
  tapRedactHeaders: 'PROXY_TAP_REDACT_HEADERS',
  namespace: 'PROXY_NAMESPACE',
  deployment: 'PROXY_DEPLOYMENT',
  pod: 'PROXY_POD',
  destinationsFile: 'PROXY_DESTINATIONS_FILE',
  destinationSvcAddr: 'PROXY_DESTINATION_SVC_ADDR',
  destinationSvcName: 'PROXY_DESTINATION_SVC_NAME',
  destinationInitialWait: 'PROXY_DESTINATION_INITIAL_WAIT',
  logLevel: 'PROXY_LOG_LEVEL',
  shutdownGracePeriod: 'PROXY_SHUTDOWN_GRACE_PERIOD',
  metricsIdleTimeout: 'PROXY_METRICS_IDLE_TIMEOUT',
  headerTimeout: 'PROXY_HEADER_TIMEOUT',
  upstreamConnectTimeout: 'PROXY_UPSTREAM_CONNECT_TIMEOUT',
  responseTimeout: 'PROXY_RESPONSE_TIMEOUT',
  inboundRoutes: 'PROXY_INBOUND_ROUTES',
  detectTimeout: 'PROXY_DETECT_TIMEOUT',
  opaquePorts: 'PROXY_OPAQUE_PORTS',
  outboundTcpTargets: 'PROXY_OUTBOUND_TCP_TARGETS',
  h2MaxConcurrentStreams: 'PROXY_H2_MAX_CONCURRENT_STREAMS',
  h2Fast: 'PROXY_H2_FAST',
  h2ServerFast: 'PROXY_H2_SERVER_FAST',
  h2ResetRateLimit: 'PROXY_H2_RESET_RATE_LIMIT',
  identityLocalName: 'PROXY_IDENTITY_LOCAL_NAME',
  identitySvcAddr: 'PROXY_IDENTITY_SVC_ADDR',
  identitySvcName: 'PROXY_IDENTITY_SVC_NAME',
  identityTrustAnchors: 'PROXY_IDENTITY_TRUST_ANCHORS',
  identityTrustAnchorsFile: 'PROXY_IDENTITY_TRUST_ANCHORS_FILE',
  identityTokenFile: 'PROXY_IDENTITY_TOKEN_FILE',
  tlsHandshakeTimeout: 'PROXY_TLS_HANDSHAKE_TIMEOUT',
  inboundPortsRequireIdentity: 'PROXY_INBOUND_PORTS_REQUIRE_IDENTITY',
  policySvcAddr: 'PROXY_POLICY_SVC_ADDR',
  policySvcName: 'PROXY_POLICY_SVC_NAME',
  policyWorkload: 'PROXY_POLICY_WORKLOAD',
  inboundDefaultPolicy: 'PROXY_INBOUND_DEFAULT_POLICY',
  inboundProbePaths: 'PROXY_INBOUND_PROBE_PATHS',
  clusterNetworks: 'PROXY_CLUSTER_NETWORKS',
  policyInitialWait: 'PROXY_POLICY_INITIAL_WAIT',
  inboundPolicyPort: 'PROXY_INBOUND_POLICY_PORT',
  parentPid: 'PROXY_PARENT_PID',
} as const;

export type ProxyEnvName = EnvName<typeof PROXY_ENV>;
/** What a launcher hands the proxy. */
export type ProxyEnv = EnvValues<typeof PROXY_ENV>;
