import 'server-only';
import type { ApiError } from '@meshviz/mesh-types';
import { ConfigError, webConfig } from '../config';

/** Request headers worth passing to the API; cookies and auth of the dashboard's origin stay here. */
const REQUEST_HEADERS = ['accept', 'if-none-match', 'if-modified-since', 'x-request-id'] as const;
/** Response headers passed back; hop-by-hop and encoding headers are the web server's own business. */
const RESPONSE_HEADERS = ['content-type', 'cache-control', 'etag', 'last-modified', 'retry-after', 'x-request-id'] as const;
/** Statuses whose Response must not carry a body. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

export const WEB_API_UNREACHABLE = 'WEB_API_UNREACHABLE';
export const WEB_CONFIG_INVALID = 'WEB_CONFIG_INVALID';

/** The API address for a request to the web: same path and query under the API's base URL. */
export function upstreamUrl(requestUrl: URL, apiBaseUrl: URL): URL {
  const target = new URL(apiBaseUrl);
  target.pathname = `${apiBaseUrl.pathname.replace(/\/+$/, '')}${requestUrl.pathname}`;
  target.search = requestUrl.search;
  return target;
}

function pickHeaders(from: Headers, names: readonly string[]): Headers {
  const picked = new Headers();
  for (const name of names) {
    const value = from.get(name);
    if (value !== null) picked.set(name, value);
  }
  return picked;
}

/** The most specific reason in an error's cause chain (ECONNREFUSED rather than "fetch failed"). */
function describeCause(err: unknown): string {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current instanceof AggregateError ? current.errors[0] : current.cause;
  }
  return String(err);
}

function errorResponse(status: number, code: string, message: string): Response {
  const body = { error: { code, message } } satisfies ApiError;
  return Response.json(body, { status, headers: { 'cache-control': 'no-store' } });
}

/**
 * Forwards one request to the API and streams the answer back (status, content type and body as they come).
 * The browser's abort signal goes with the upstream request, so a closed tab ends the API call too.
 */
export async function proxyToApi(request: Request, apiBaseUrl: URL): Promise<Response> {
  const target = upstreamUrl(new URL(request.url), apiBaseUrl);
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: request.method,
      headers: pickHeaders(request.headers, REQUEST_HEADERS),
      redirect: 'manual',
      signal: request.signal,
    });
  } catch (cause) {
    if (!request.signal.aborted) {
      // The internal address goes to the server log only, never to the browser.
      console.error(`meshviz web: API not reachable at ${target.origin} (${describeCause(cause)})`);
    }
    return errorResponse(
      502,
      WEB_API_UNREACHABLE,
      'The meshviz API is not reachable. Check that it is running; the dashboard keeps retrying.',
    );
  }
  const headers = pickHeaders(upstream.headers, RESPONSE_HEADERS);
  if (!headers.has('cache-control')) headers.set('cache-control', 'no-store');
  const hasBody = request.method !== 'HEAD' && !NULL_BODY_STATUSES.has(upstream.status);
  if (!hasBody) await upstream.body?.cancel();
  return new Response(hasBody ? upstream.body : null, {
    status: upstream.status,
    statusText: upstream.statusText,
    headers,
  });
}

/** The route handler's whole job: find the API from the configuration, then forward. */
export async function handleApiRequest(request: Request): Promise<Response> {
  let apiBaseUrl: URL;
  try {
    apiBaseUrl = webConfig().apiBaseUrl;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`meshviz web: ${err.message}`);
    return errorResponse(500, WEB_CONFIG_INVALID, err.message);
  }
  return proxyToApi(request, apiBaseUrl);
}
