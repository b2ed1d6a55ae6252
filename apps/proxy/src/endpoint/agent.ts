import http from 'node:http';
import type { Destination } from '../core/stage.js';
import type { EndpointConnector } from './connect.js';

/**
 * Idle pooled connections are closed after this long. It stays below Node's default server keep-alive timeout
 * (5 s), so the proxy retires an idle connection before the upstream does; otherwise a request could be written
 * onto a socket the upstream is closing and fail with a reset. Node also honours a shorter `Keep-Alive: timeout=`
 * hint from the upstream.
 */
const IDLE_SOCKET_TIMEOUT_MS = 4_000;

/** Request option that carries the destination down to the agent, so its connections get dst_* labels. */
export interface DestinationOption {
  readonly meshDestination?: Destination;
}

/**
 * One keep-alive pool per side. Node's Agent already keeps a separate pool per host:port, which is exactly a pool
 * per endpoint, and forgets a host's pool when its last socket closes, so endpoints that leave discovery leave no
 * state behind. Connections are opened by the connector (mTLS to meshed endpoints, counted in the tcp_* families).
 */
export function createEndpointAgent(connector: EndpointConnector): http.Agent {
  const agent = new http.Agent({ keepAlive: true, timeout: IDLE_SOCKET_TIMEOUT_MS, scheduling: 'lifo' });
  agent.createConnection = ((options: http.ClientRequestArgs & DestinationOption) => {
    const destination = options.meshDestination ?? { key: '', targetAddr: '' };
    const addr = { host: String(options.host), port: Number(options.port) };
    return connector.connect({ addr, destination }, 'http/1.1');
  }) as typeof agent.createConnection;
  return agent;
}
