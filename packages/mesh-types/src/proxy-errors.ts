/**
 * Failures the proxy classifies itself. The set is closed on purpose: each kind is both the value of the
 * `x-meshviz-proxy-error` response header and of the `error` label on response_total, so dashboards and the CLI
 * can explain a failed request without parsing free text.
 */
export const PROXY_ERROR_KINDS = [
  /** The upstream refused the TCP connection (nothing listening). */
  'connect_refused',
  /** The TCP connection was not established within the connect timeout. */
  'connect_timeout',
  /** Any other failure to connect (host or network unreachable, address not available). */
  'connect_error',
  /** The destination host name did not resolve (unmeshed destinations only). */
  'dns_error',
  /** The upstream connection was reset or closed before the response was complete. */
  'connection_reset',
  /** The upstream sent no response headers within the response timeout (per attempt). */
  'response_timeout',
  /** The request, retries included, did not finish within its route's request timeout (never retried past it). */
  'request_timeout',
  /** A request or response body stalled longer than the route's idle timeout. */
  'idle_timeout',
  /** The upstream answered with something that is not valid HTTP. */
  'protocol_error',
  /** mTLS: the endpoint presented a valid certificate for another identity than discovery named. */
  'tls_identity_mismatch',
  /** mTLS: the endpoint's certificate is expired, not yet valid, or not from this mesh's trust anchors. */
  'tls_untrusted',
  /** mTLS: the handshake failed otherwise (the endpoint refused this proxy's certificate, or does not speak TLS). */
  'tls_handshake_error',
  /** The endpoint requires mTLS and this proxy holds no certificate yet. */
  'identity_not_ready',
  /** Inbound: no authorization of the server's policy lets this client in (HTTP 403, gRPC PERMISSION_DENIED). */
  'unauthorized',
  /** Inbound: the port's server has routes and none matches the request (HTTP 404, gRPC NOT_FOUND). */
  'route_not_found',
  /** The service is known to discovery but has no endpoints. */
  'no_endpoints',
  /** The request's Host is not a usable authority. */
  'invalid_authority',
  /** The client went away before the exchange finished; nothing could be answered. */
  'client_reset',
  /** A bug in the proxy; never expected. */
  'internal_error',
] as const;
export type ProxyErrorKind = (typeof PROXY_ERROR_KINDS)[number];

/**
 * The kinds that are the policy's answers (403, 404), not failures: the mesh refusing a client as configured.
 * Metrics count them as successes (4xx) and apart in the authz families; tap shows them as refused, not failed.
 */
export const POLICY_ERROR_KINDS: ReadonlySet<string> = new Set<ProxyErrorKind>(['unauthorized', 'route_not_found']);

/** Response header naming the kind when the proxy, not the upstream, produced the response. */
export const PROXY_ERROR_HEADER = 'x-meshviz-proxy-error';
