import { ApiError } from '@meshviz/mesh-types';
import type { z } from 'zod';

/** A failed API call, carrying the API's stable code and its message for people. */
export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';
  constructor(
    /** HTTP status, or 0 when no answer arrived at all. */
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param?: string,
  ) {
    super(message);
  }
}

/**
 * A same-origin API path with its query; parameters that are undefined are left out, the others keep their order.
 * Path segments are escaped, so names cannot reach another route.
 */
export function apiPath(
  segments: readonly string[],
  params: Readonly<Record<string, string | undefined>> = {},
): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) query.set(key, value);
  const path = `/api/${segments.map(encodeURIComponent).join('/')}`;
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

/** The error a failed answer stands for: the API's code and message, or WEB_UNEXPECTED_RESPONSE. */
export async function errorFromResponse(response: Response): Promise<ApiRequestError> {
  const apiError = ApiError.safeParse(await readJson(response));
  if (apiError.success) {
    const { code, message, param } = apiError.data.error;
    return new ApiRequestError(response.status, code, message, param);
  }
  return new ApiRequestError(response.status, 'WEB_UNEXPECTED_RESPONSE', `The API answered ${response.status} ${response.statusText}`.trim());
}

/**
 * GETs a JSON resource and parses it with its mesh-types schema. Errors become ApiRequestError with the API's
 * code and message (or a WEB_* code when the answer is not the API's). An abort is passed through untouched.
 */
export async function getJson<S extends z.ZodType>(url: string, schema: S, signal?: AbortSignal): Promise<z.output<S>> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json' }, signal });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiRequestError(0, 'WEB_UNREACHABLE', 'The dashboard server is not reachable.');
  }
  if (!response.ok) throw await errorFromResponse(response);
  const body = await readJson(response);
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ApiRequestError(
      response.status,
      'WEB_INVALID_RESPONSE',
      'The API answered with data this dashboard does not understand (are the API and web the same version?).',
    );
  }
  return parsed.data;
}
