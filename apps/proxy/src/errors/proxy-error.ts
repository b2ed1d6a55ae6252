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
  const kind = KIND_BY_CODE[code] ?? (code.startsWith('HPE_') ? 'protocol_error' : 'internal_error');
  return new ProxyError(kind, { cause: error, ...(destination ? { destination } : {}) });
}

function codeOf(error: unknown): string {
  return typeof error === 'object' && error !== null ? String((error as { code?: unknown }).code ?? '') : '';
}
