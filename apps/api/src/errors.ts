import type { ApiErrorCode } from '@meshviz/mesh-types';

/**
 * The API's one error catalogue. `publicMessage` is what clients see; `cause` keeps the internal detail (PromQL,
 * upstream errors) for the logs only.
 */
export class ApiHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    readonly publicMessage: string,
    options?: { cause?: unknown; param?: string },
  ) {
    super(publicMessage, { cause: options?.cause });
    this.param = options?.param;
  }
  readonly param: string | undefined;
}

export const apiErrors = {
  badParam: (param: string, reason: string) =>
    new ApiHttpError(400, 'API_BAD_REQUEST', `invalid query parameter "${param}": ${reason}`, { param }),
  notFound: (what: string) => new ApiHttpError(404, 'API_NOT_FOUND', `${what} not found`),
  prometheusUnavailable: (cause: unknown) =>
    new ApiHttpError(503, 'API_PROMETHEUS_UNAVAILABLE', 'Prometheus is not reachable; metrics cannot be read right now', {
      cause,
    }),
  prometheusError: (cause: unknown) =>
    new ApiHttpError(502, 'API_PROMETHEUS_ERROR', 'Prometheus answered with an error; see the API logs', { cause }),
  internal: (cause: unknown) => new ApiHttpError(500, 'API_INTERNAL', 'internal error; see the API logs', { cause }),
};
