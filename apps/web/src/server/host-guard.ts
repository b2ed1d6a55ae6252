import 'server-only';
import type { ApiError } from '@meshviz/mesh-types';
import { hostRefusalMessage, isHostAllowed } from '@meshviz/runtime/host-allow-list';
import { ConfigError, hostGuardConfig } from '../config';

export const WEB_HOST_NOT_ALLOWED = 'WEB_HOST_NOT_ALLOWED';
const VARIABLE = 'MESHVIZ_WEB_ALLOWED_HOSTS';

function isApiPath(pathname: string): boolean {
  return pathname === '/api' || pathname.startsWith('/api/');
}

function plainText(status: number, text: string): Response {
  return new Response(`${text}\n`, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });
}

/**
 * The answer to a request whose Host is not allowed, or null when it may be served. Pages get the reason as plain
 * text; /api/* (JSON and the tap and top streams) gets it in the API's error shape, which the dashboard's own
 * pages and the CLI show as they show the API's errors.
 */
export function refuseForeignHost(request: Request, allowed: RegExp): Response | null {
  const host = request.headers.get('host');
  if (isHostAllowed(host, allowed)) return null;
  const message = hostRefusalMessage(host, VARIABLE);
  if (isApiPath(new URL(request.url).pathname)) {
    const body = { error: { code: WEB_HOST_NOT_ALLOWED, message, param: 'Host' } } satisfies ApiError;
    return Response.json(body, { status: 400, headers: { 'cache-control': 'no-store' } });
  }
  return plainText(400, `400 Bad Request: ${message}.`);
}

/**
 * Where every request enters (src/proxy.ts): the Host check with this process's allow-list. A bad allow-list in
 * the environment refuses everything (500, naming the variable) rather than serving every Host.
 */
export function guardHost(request: Request): Response | null {
  let allowed: RegExp;
  try {
    allowed = hostGuardConfig().allowedHosts;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`meshviz web: ${err.message}`);
    return plainText(500, err.message);
  }
  return refuseForeignHost(request, allowed);
}
