import { PROXY_ERROR_HEADER, type ProxyErrorKind } from '@meshviz/mesh-types';
import type { ServerResponse } from 'node:http';

/**
 * The one place where failure kinds become HTTP answers. `status: null` means no response can be sent (the
 * client is gone). 502: the upstream misbehaved; 503: nowhere to send it; 504: the upstream was too slow.
 */
export const ERROR_RESPONSES: Readonly<Record<ProxyErrorKind, { status: number | null; text: string }>> = {
  connect_refused: { status: 502, text: 'the upstream refused the connection' },
  connect_timeout: { status: 504, text: 'connecting to the upstream timed out' },
  connect_error: { status: 502, text: 'the upstream could not be reached' },
  dns_error: { status: 502, text: 'the destination host name did not resolve' },
  connection_reset: { status: 502, text: 'the upstream closed the connection before responding' },
  response_timeout: { status: 504, text: 'the upstream did not respond in time' },
  protocol_error: { status: 502, text: 'the upstream sent an invalid HTTP response' },
  no_endpoints: { status: 503, text: 'the service has no endpoints' },
  invalid_authority: { status: 400, text: 'the Host header is not a valid authority' },
  client_reset: { status: null, text: 'the client closed the connection' },
  internal_error: { status: 502, text: 'the proxy failed unexpectedly' },
};

/** Status the proxy answers for a kind, or null when nothing can be answered. */
export function errorStatus(kind: ProxyErrorKind): number | null {
  return ERROR_RESPONSES[kind].status;
}

/** Writes the proxy's own answer for a failure; a no-op when the client is gone or headers already left. */
export function writeErrorResponse(res: ServerResponse, kind: ProxyErrorKind, closeConnection: boolean): void {
  const { status, text } = ERROR_RESPONSES[kind];
  if (status === null || res.headersSent || res.destroyed) {
    if (!res.writableEnded) res.destroy();
    return;
  }
  const body = `meshviz proxy: ${kind}: ${text}\n`;
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    [PROXY_ERROR_HEADER]: kind,
    ...(closeConnection ? { connection: 'close' } : {}),
  });
  res.end(body);
}
