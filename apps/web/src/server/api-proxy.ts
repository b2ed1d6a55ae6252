import 'server-only';
import type { ApiError } from '@meshviz/mesh-types';
import { ConfigError, webConfig } from '../config';

/** Request headers worth passing to the API; cookies and auth of the dashboard's origin stay here. */
const REQUEST_HEADERS = ['accept', 'if-none-match', 'if-modified-since', 'x-request-id'] as const;
/** The tap streams also need the tap token, which the page sends itself (never a cookie of this origin). */
const TAP_REQUEST_HEADERS = [...REQUEST_HEADERS, 'authorization'] as const;
/** Paths of the live tap streams: they carry the token and are served to the dashboard's own pages only. */
const TAP_PATHS = new Set(['/api/v1/tap', '/api/v1/top']);
/** Response headers passed back; hop-by-hop and encoding headers are the web server's own business. */
const RESPONSE_HEADERS = ['content-type', 'cache-control', 'etag', 'last-modified', 'retry-after', 'x-request-id'] as const;
/** Statuses whose Response must not carry a body. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

export const WEB_API_UNREACHABLE = 'WEB_API_UNREACHABLE';
export const WEB_CONFIG_INVALID = 'WEB_CONFIG_INVALID';
export const WEB_TAP_FORBIDDEN = 'WEB_TAP_FORBIDDEN';

export function isTapPath(pathname: string): boolean {
  return TAP_PATHS.has(pathname);
}

/**
 * Why a tap request is not from a page of this dashboard, or null when it is. The API refuses other origins itself,
 * but behind this forwarder it sees only the forwarder's headers, so the check happens here: Sec-Fetch-Site must not
 * be cross-site or same-site (a sibling subdomain is another page), and an Origin must name this host.
 */
export function foreignOriginReason(request: Request): string | null {
  const site = request.headers.get('sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site') return `Sec-Fetch-Site is ${site}`;
  const origin = request.headers.get('origin');
  if (origin === null) return null;
  let originUrl: URL;
  try {
    originUrl = new URL(origin);
  } catch {
    return `Origin "${origin.slice(0, 100)}" is not a URL`;
  }
  const host = request.headers.get('host') ?? new URL(request.url).host;
  let ownHost: string;
  try {
    // Read through URL so case and default ports compare equal (Host "Example:80" is origin http://example).
    ownHost = new URL(`${originUrl.protocol}//${host}`).host;
  } catch {
    return `Host "${host.slice(0, 100)}" is not a host`;
  }
  return originUrl.host === ownHost ? null : `Origin ${originUrl.host} is not this dashboard (${ownHost})`;
}

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

function isEventStream(headers: Headers): boolean {
  return (headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() === 'text/event-stream';
}

function errorResponse(status: number, code: string, message: string): Response {
  const body = { error: { code, message } } satisfies ApiError;
  return Response.json(body, { status, headers: { 'cache-control': 'no-store' } });
}

/**
 * Forwards one request to the API and streams the answer back (status, content type and body as they come).
 * The browser's abort signal goes with the upstream request, so a closed tab ends the API call too.
 * Event streams (tap, top) pass chunk by chunk: nothing between here and the browser may buffer or compress them.
 */
export async function proxyToApi(request: Request, apiBaseUrl: URL): Promise<Response> {
  const requestUrl = new URL(request.url);
  const tap = isTapPath(requestUrl.pathname);
  if (tap) {
    const reason = foreignOriginReason(request);
    if (reason !== null) {
      console.warn(`meshviz web: refused ${requestUrl.pathname} from another origin (${reason})`);
      return errorResponse(403, WEB_TAP_FORBIDDEN, 'tap is only served to pages of the meshviz dashboard itself');
    }
  }
  const target = upstreamUrl(requestUrl, apiBaseUrl);
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method: request.method,
      headers: pickHeaders(request.headers, tap ? TAP_REQUEST_HEADERS : REQUEST_HEADERS),
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
  if (isEventStream(headers)) {
    // no-transform keeps compression middleware off (gzip would hold events back until a block fills);
    // X-Accel-Buffering tells a reverse proxy in front (nginx and the like) not to buffer either.
    headers.set('cache-control', 'no-store, no-transform');
    headers.set('x-accel-buffering', 'no');
  }
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
