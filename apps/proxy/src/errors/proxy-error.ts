import type { ProxyErrorKind } from '@meshviz/mesh-types';
import type { Destination } from '../core/stage.js';

/**
 * An exchange that failed for a reason the proxy can name. Stages throw it (or convert Node errors into it) and
 * attach the destination they were working on, so the metrics stage can label the failure without knowing which
 * stage raised it.
 */
export class ProxyError extends Error {
  override name = 'ProxyError';
  readonly kind: ProxyErrorKind;
  destination: Destination | undefined;

  constructor(kind: ProxyErrorKind, options: { cause?: unknown; destination?: Destination; message?: string } = {}) {
    super(options.message ?? kind, { cause: options.cause });
    this.kind = kind;
    this.destination = options.destination;
  }
}

/** Node error codes, by the kind they mean. Anything unlisted is a proxy bug (internal_error). */
const KIND_BY_CODE: Record<string, ProxyErrorKind> = {
  ECONNREFUSED: 'connect_refused',
  ETIMEDOUT: 'connect_timeout',
  EHOSTUNREACH: 'connect_error',
  ENETUNREACH: 'connect_error',
  EADDRNOTAVAIL: 'connect_error',
  EHOSTDOWN: 'connect_error',
  ENOTFOUND: 'dns_error',
  EAI_AGAIN: 'dns_error',
  ECONNRESET: 'connection_reset',
  EPIPE: 'connection_reset',
  ECONNABORTED: 'connection_reset',
  ERR_STREAM_PREMATURE_CLOSE: 'connection_reset',
  // Node refuses to write a header or status line its parser let through (control characters and the like).
  ERR_INVALID_CHAR: 'protocol_error',
  ERR_INVALID_HTTP_TOKEN: 'protocol_error',
  ERR_HTTP_INVALID_HEADER_VALUE: 'protocol_error',
  // HTTP/2: the upstream reset the stream, went away, or broke the protocol.
  ERR_HTTP2_STREAM_ERROR: 'connection_reset',
  ERR_HTTP2_SESSION_ERROR: 'connection_reset',
  ERR_HTTP2_GOAWAY_SESSION: 'connection_reset',
  ERR_HTTP2_INVALID_SESSION: 'connection_reset',
  ERR_HTTP2_STREAM_CANCEL: 'connection_reset',
  ERR_HTTP2_ERROR: 'protocol_error',
  ERR_HTTP2_INVALID_HEADER_VALUE: 'protocol_error',
  ERR_HTTP2_INVALID_CONNECTION_HEADERS: 'protocol_error',
  ERR_HTTP2_HEADER_SINGLE_VALUE: 'protocol_error',
  // TLS: OpenSSL's verification results for the endpoint's chain.
  CERT_HAS_EXPIRED: 'tls_untrusted',
  CERT_NOT_YET_VALID: 'tls_untrusted',
  CERT_SIGNATURE_FAILURE: 'tls_untrusted',
  CERT_UNTRUSTED: 'tls_untrusted',
  CERT_REJECTED: 'tls_untrusted',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'tls_untrusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'tls_untrusted',
  UNABLE_TO_GET_ISSUER_CERT: 'tls_untrusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'tls_untrusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'tls_untrusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'tls_identity_mismatch',
  // The peer answered the ClientHello with something that is not TLS (a plaintext server).
  EPROTO: 'tls_handshake_error',
};

/** Maps anything thrown during an exchange to a ProxyError, keeping an existing one as is. */
export function toProxyError(error: unknown, destination?: Destination): ProxyError {
  if (error instanceof ProxyError) {
    error.destination ??= destination;
    return error;
  }
  const code = codeOf(error);
  // A stream cancelled because its HTTP/2 session failed carries the session's error (e.g. ECONNREFUSED) as
  // its cause; that cause is the real reason, and decides whether a retry may help.
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (code === 'ERR_HTTP2_STREAM_CANCEL' && codeOf(cause) !== '') return toProxyError(cause, destination);
  // llhttp reports malformed upstream responses with HPE_* codes.
  // OpenSSL's own failures (an alert from the peer, a peer that does not speak TLS) carry ERR_SSL_* codes.
  const kind = KIND_BY_CODE[code] ?? prefixKind(code);
  return new ProxyError(kind, { cause: error, ...(destination ? { destination } : {}) });
}

function prefixKind(code: string): ProxyErrorKind {
  if (code.startsWith('HPE_')) return 'protocol_error';
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) return 'tls_handshake_error';
  return 'internal_error';
}

function codeOf(error: unknown): string {
  return typeof error === 'object' && error !== null ? String((error as { code?: unknown }).code ?? '') : '';
}
