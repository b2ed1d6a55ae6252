import type { z } from 'zod';
import { errorFromResponse, type FailureWording, failureError } from './api-request-error.js';

export interface FetchJsonOptions {
  wording: FailureWording;
  /** The caller's abort: passed through untouched, as an abort. */
  signal?: AbortSignal | undefined;
  /** The client's own time limit; running out of it counts as unreachable. */
  timeoutMs?: number | undefined;
}

/**
 * GETs a JSON resource and checks it with its contract schema. A failure becomes an ApiRequestError: the API's
 * own code and message when it answered with its error envelope, the client's wording of the failure otherwise.
 */
export async function fetchJson<S extends z.ZodType>(url: string, schema: S, options: FetchJsonOptions): Promise<z.output<S>> {
  const { wording, signal: callerSignal, timeoutMs } = options;
  const timeout = timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs);
  const signal = timeout && callerSignal ? AbortSignal.any([callerSignal, timeout]) : (timeout ?? callerSignal);
  const unreachable = (cause: unknown) => failureError({ kind: 'unreachable', url, cause }, wording);
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' }, signal });
  } catch (err) {
    if (callerSignal?.aborted) throw err;
    throw unreachable(err);
  }
  if (!response.ok) throw await errorFromResponse(response, url, wording);
  let body: unknown;
  try {
    body = await response.json();
  } catch (err) {
    if (callerSignal?.aborted) throw err;
    if (timeout?.aborted) throw unreachable(err);
    // Not JSON at all: the schema check below says so.
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw failureError({ kind: 'invalid-answer', url, status: response.status, detail: parsed.error.message }, wording);
  return parsed.data;
}
