import { ApiError } from '@meshviz/mesh-types';

/** A failed API call, carrying a stable code and a message for people (the API's own, when it answered one). */
export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';
  constructor(
    /** HTTP status, or 0 when no answer arrived at all. */
    readonly status: number,
    readonly code: string,
    message: string,
    /** The request parameter at fault, when the API named one. */
    readonly param?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * What went wrong on the client's side of a call: no answer, or one that is not the API's. Each client words these
 * for its own readers (the dashboard on a page, the CLI on a terminal); the API's own errors keep its words.
 */
export type ClientFailure =
  /** The request could not be sent, or no answer came (the client's own time limit included). */
  | { kind: 'unreachable'; url: string; cause: unknown }
  /** An error status whose body is not the API's error envelope (a proxy's page, say). */
  | { kind: 'unexpected-answer'; url: string; status: number; statusText: string }
  /** A stream was asked for and something else came back. */
  | { kind: 'not-a-stream'; url: string; status: number; contentType: string }
  /** A success whose body does not match the contract; `detail` says where. */
  | { kind: 'invalid-answer'; url: string; status: number; detail: string }
  /** A stream event whose data does not match its schema, or is not JSON. */
  | { kind: 'invalid-event'; url: string; event: string; detail: string }
  /** The stream broke off before the server ended it. */
  | { kind: 'stream-broken'; url: string; cause: unknown };

/** A client's code and message for each failure. */
export type FailureWording = (failure: ClientFailure) => { code: string; message: string };

/** The error a client failure stands for, in the client's words. */
export function failureError(failure: ClientFailure, wording: FailureWording): ApiRequestError {
  const { code, message } = wording(failure);
  const cause = 'cause' in failure ? failure.cause : undefined;
  // An invalid event arrives on a stream that began with 200; no answer at all is status 0.
  const status = 'status' in failure ? failure.status : failure.kind === 'invalid-event' ? 200 : 0;
  return new ApiRequestError(status, code, message, undefined, cause === undefined ? undefined : { cause });
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

/** The error a failed answer stands for: the API's code, message and parameter, or the client's unexpected-answer. */
export async function errorFromResponse(response: Response, url: string, wording: FailureWording): Promise<ApiRequestError> {
  const envelope = ApiError.safeParse(await readJson(response));
  if (envelope.success) {
    const { code, message, param } = envelope.data.error;
    return new ApiRequestError(response.status, code, message, param);
  }
  return failureError({ kind: 'unexpected-answer', url, status: response.status, statusText: response.statusText }, wording);
}
