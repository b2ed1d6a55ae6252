import http from 'node:http';

/**
 * Idle pooled connections are closed after this long. It stays below Node's default server keep-alive timeout
 * (5 s), so the proxy retires an idle connection before the upstream does; otherwise a request could be written
 * onto a socket the upstream is closing and fail with a reset. Node also honours a shorter `Keep-Alive: timeout=`
 * hint from the upstream.
 */
const IDLE_SOCKET_TIMEOUT_MS = 4_000;

/**
 * One keep-alive pool per side. Node's Agent already keeps a separate pool per host:port, which is exactly a pool
 * per endpoint, and forgets a host's pool when its last socket closes, so endpoints that leave discovery leave no
 * state behind.
 */
export function createEndpointAgent(): http.Agent {
  return new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_TIMEOUT_MS, scheduling: 'lifo' });
}
