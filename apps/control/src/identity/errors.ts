import { IdentityError } from '@meshviz/identity';
import type { IdentityErrorCode } from '@meshviz/mesh-types';
import type { FastifyInstance } from 'fastify';
import type { CertifyResult } from '../metrics.js';
import { BODY_LIMIT_BYTES } from './limits.js';

/** The one place an identity error code becomes an HTTP status and a metric result. */
export const IDENTITY_ERROR_STATUS: Record<IdentityErrorCode, { status: number; result: CertifyResult }> = {
  IDENTITY_INVALID_ARGUMENT: { status: 400, result: 'invalid_argument' },
  IDENTITY_UNAUTHENTICATED: { status: 401, result: 'unauthenticated' },
  IDENTITY_PERMISSION_DENIED: { status: 403, result: 'permission_denied' },
  IDENTITY_UNAVAILABLE: { status: 503, result: 'unavailable' },
};

export interface IdentityErrorBody {
  error: { code: IdentityErrorCode; message: string };
}

export function errorBody(code: IdentityErrorCode, message: string): IdentityErrorBody {
  return { error: { code, message } };
}

/**
 * Errors that escape a route: an IdentityError keeps its code; fastify's own client errors (bad JSON, too large,
 * wrong content type) are invalid arguments with their own status; anything else is logged and answered as
 * unavailable, without its internal detail.
 */
export function registerErrorHandler(app: FastifyInstance, onResult: (result: CertifyResult) => void): void {
  app.setErrorHandler((error, request, reply) => {
    if (error instanceof IdentityError) {
      const { status, result } = IDENTITY_ERROR_STATUS[error.code];
      onResult(result);
      return reply.code(status).send(errorBody(error.code, error.message));
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      onResult('invalid_argument');
      return reply.code(status).send(errorBody('IDENTITY_INVALID_ARGUMENT', clientErrorMessage(error as { code?: string; message: string }, request.headers['content-type'])));
    }
    request.log.error({ err: error }, 'certify failed');
    onResult('unavailable');
    return reply.code(500).send(errorBody('IDENTITY_UNAVAILABLE', 'the identity service failed; see its log'));
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send(errorBody('IDENTITY_INVALID_ARGUMENT', `no such endpoint: ${request.method} ${request.url.split('?')[0]}`)),
  );
}

/** Fastify's words for a malformed request, said in terms of what the caller must send instead. */
function clientErrorMessage(error: { code?: string; message: string }, contentType: string | undefined): string {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return `the body must be application/json (got ${contentType ?? 'no content type'})`;
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return `the body is larger than ${BODY_LIMIT_BYTES / 1024} KiB`;
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'the body is empty; send a CertifyRequest as JSON';
    default:
      return error.message;
  }
}
