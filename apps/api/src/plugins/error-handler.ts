import type { ApiError } from '@meshviz/mesh-types';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiHttpError, apiErrors } from '../errors.js';

/** The one place where errors become responses: a stable code, a public message, never PromQL or a stack. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const apiErr = toApiError(err);
    const level = apiErr.status >= 500 ? 'error' : 'info';
    request.log[level]({ err, code: apiErr.code }, apiErr.publicMessage);
    const body: ApiError = {
      error: {
        code: apiErr.code,
        message: apiErr.publicMessage,
        ...(apiErr.param ? { param: apiErr.param } : {}),
        requestId: String(request.id),
      },
    };
    void reply.status(apiErr.status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const err = apiErrors.notFound(`route ${request.method} ${request.url.split('?')[0]}`);
    void reply.status(404).send({ error: { code: err.code, message: err.publicMessage, requestId: String(request.id) } });
  });
}

function toApiError(err: unknown): ApiHttpError {
  if (err instanceof ApiHttpError) return err;
  const status = (err as { statusCode?: number }).statusCode;
  // Fastify's own client errors (bad JSON, too large, ...) are the caller's fault and safe to describe.
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new ApiHttpError(status, status === 404 ? 'API_NOT_FOUND' : 'API_BAD_REQUEST', (err as Error).message, {
      cause: err,
    });
  }
  return apiErrors.internal(err);
}
