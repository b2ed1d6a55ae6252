import { z } from 'zod';

/**
 * The identity contract between the control plane's identity service and every proxy: workload identity names,
 * the certify exchange, and the TLS labels the proxy puts on its series. Names follow the mesh meshviz models:
 * `<serviceaccount>.<namespace>.serviceaccount.identity.meshviz.<trust-domain>` as the certificate's one DNS SAN,
 * plus the SPIFFE URI `spiffe://<trust-domain>/ns/<namespace>/sa/<serviceaccount>`.
 */

export const DEFAULT_TRUST_DOMAIN = 'cluster.local';
/** The control plane's own namespace; the identity service presents `identity.<this>` as its identity. */
export const CONTROL_NAMESPACE = 'meshviz-system';
/** Audience of workload tokens (local tokens and Kubernetes projected service-account tokens alike). */
export const IDENTITY_TOKEN_AUDIENCE = 'identity.meshviz.io';

export const IDENTITY_DEFAULTS = {
  /** Leaf lifetime. */
  leafLifetimeMs: 24 * 60 * 60 * 1000,
  /** notBefore is set this far in the past, so peers whose clocks lag a little still accept a fresh leaf. */
  clockSkewMs: 20 * 1000,
  /** Trust anchor and issuer lifetime. */
  caLifetimeMs: 365 * 24 * 60 * 60 * 1000,
  /** Proxies renew at this share of the leaf's lifetime… */
  refreshShare: 0.7,
  /** …clamped to this range. */
  refreshMinMs: 10 * 1000,
  refreshMaxMs: 24 * 60 * 60 * 1000,
  /** `meshviz check` warns when the anchor or issuer expires within this. */
  expiryWarningMs: 60 * 24 * 60 * 60 * 1000,
} as const;

const LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const NAME_RE = /^([a-z0-9][-a-z0-9]*)\.([a-z0-9][-a-z0-9]*)\.serviceaccount\.identity\.meshviz\.(.+)$/;

export interface WorkloadIdentity {
  readonly serviceAccount: string;
  readonly namespace: string;
  readonly trustDomain: string;
}

/** `<sa>.<ns>.serviceaccount.identity.meshviz.<trust-domain>`. */
export function identityName(id: WorkloadIdentity): string {
  return `${id.serviceAccount}.${id.namespace}.serviceaccount.identity.meshviz.${id.trustDomain}`;
}

/** `spiffe://<trust-domain>/ns/<ns>/sa/<sa>`. */
export function spiffeId(id: WorkloadIdentity): string {
  return `spiffe://${id.trustDomain}/ns/${id.namespace}/sa/${id.serviceAccount}`;
}

/** Splits an identity name; undefined when it is not one. */
export function parseIdentityName(name: string): WorkloadIdentity | undefined {
  const m = NAME_RE.exec(name);
  if (!m) return undefined;
  const [, serviceAccount, namespace, trustDomain] = m as unknown as [string, string, string, string];
  if (!LABEL_RE.test(serviceAccount) || !LABEL_RE.test(namespace)) return undefined;
  return { serviceAccount, namespace, trustDomain };
}

/** `sa.ns` for tables and edges where space is short; other strings come back unchanged. */
export function shortIdentity(name: string): string {
  const id = parseIdentityName(name);
  return id ? `${id.serviceAccount}.${id.namespace}` : name;
}

/** The identity the identity service itself presents, which proxies check before sending their token. */
export function identityServiceName(trustDomain: string): string {
  return identityName({ serviceAccount: 'identity', namespace: CONTROL_NAMESPACE, trustDomain });
}

/** The identity the policy service presents, which proxies check before trusting the policy it streams. */
export function policyServiceName(trustDomain: string): string {
  return identityName({ serviceAccount: 'policy', namespace: CONTROL_NAMESPACE, trustDomain });
}

/** The identity the destination service presents, which proxies check before trusting the discovery table it streams. */
export function destinationServiceName(trustDomain: string): string {
  return identityName({ serviceAccount: 'destination', namespace: CONTROL_NAMESPACE, trustDomain });
}

/** POST /v1/certify, JSON, over TLS to the identity service. */
export const CertifyRequest = z.object({
  /** The identity name asked for; must equal the CSR's one DNS SAN and the token's workload. */
  identity: z.string().min(1),
  /** A local workload token (from `meshviz up`) or a Kubernetes projected service-account token. */
  token: z.string().min(1),
  /** PKCS#10 CSR, PEM. */
  certificateSigningRequest: z.string().min(1),
});
export type CertifyRequest = z.infer<typeof CertifyRequest>;

export const CertifyResponse = z.object({
  /** The leaf, PEM. */
  leafCertificate: z.string(),
  /** The issuer (and any further intermediates up to, not including, the anchor), PEM each. */
  intermediateCertificates: z.array(z.string()),
  /** The leaf's notAfter, ISO 8601. */
  validUntil: z.string(),
});
export type CertifyResponse = z.infer<typeof CertifyResponse>;

/** Error codes of the identity service: 400 invalid argument, 401/403 token, 503 unavailable. */
export const IDENTITY_ERROR_CODES = [
  'IDENTITY_INVALID_ARGUMENT',
  'IDENTITY_UNAUTHENTICATED',
  'IDENTITY_PERMISSION_DENIED',
  'IDENTITY_UNAVAILABLE',
] as const;
export type IdentityErrorCode = (typeof IDENTITY_ERROR_CODES)[number];

/** Values of the proxy's `tls` label. */
export const TLS_STATUS = { secured: 'true', none: 'no_identity' } as const;

/**
 * Why a connection is not mTLS, as the proxy labels it (`no_tls_reason`): a closed set.
 * - `disabled`: the proxy runs without identity.
 * - `loopback`: the peer is the local application.
 * - `not_provided_by_service_discovery`: discovery gave no identity for the endpoint (unmeshed, or no discovery).
 * - `no_tls_from_remote`: a client connected to the inbound side in plaintext.
 * - `port_skipped`: the port is configured to skip the proxy's TLS.
 */
export const NO_TLS_REASONS = [
  'disabled',
  'loopback',
  'not_provided_by_service_discovery',
  'no_tls_from_remote',
  'port_skipped',
] as const;
export type NoTlsReason = (typeof NO_TLS_REASONS)[number];

/** ALPN protocol of a meshed opaque TCP stream (no HTTP inside; the inbound side relays bytes). */
export const TRANSPORT_ALPN = 'transport.meshviz.io/v1';

/** The proxy's identity metrics (Linkerd's two gauges, plus meshviz's info series naming identity and issuer). */
export const IDENTITY_METRIC = {
  certExpiration: 'identity_cert_expiration_timestamp_seconds',
  certRefreshCount: 'identity_cert_refresh_count',
  certInfo: 'identity_cert_info',
} as const;

/** Labels of identity_cert_info. */
export const IDENTITY_LABEL = { identity: 'identity', issuerSha256: 'issuer_sha256' } as const;
