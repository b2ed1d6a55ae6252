import type { Direction } from '@meshviz/mesh-types';
import type { ProxyConfig } from '../config.js';
import type { Stage } from '../core/stage.js';
import { forwardHttp1Fast, H1Pool } from '../h1/pool.js';
import { forwardH2Fast } from '../h2/forward.js';
import { H2FastPool } from '../h2/pool.js';
import type { LocalIdentity } from '../identity/local-identity.js';
import type { TcpSeries } from '../metrics/tcp-series.js';
import { createEndpointAgent } from './agent.js';
import { createConnector, type EndpointConnector } from './connect.js';
import { type EndpointTarget, forward } from './forward.js';
import { forwardHttp1 } from './forward-h1.js';
import { forwardH2 } from './forward-h2.js';
import { H2Pool } from './h2-pool.js';

export interface Upstreams {
  /** The endpoint stage: HTTP/1.1 over a pool of connections per endpoint, HTTP/2 over one session per endpoint. */
  readonly forward: Stage<EndpointTarget>;
  /** Opens connections to endpoints (also used by opaque tunnels). */
  readonly connector: EndpointConnector;
  /** Closes every pooled connection (end of shutdown). */
  close(): void;
}

export function createUpstreams(
  config: ProxyConfig,
  direction: Direction,
  tcp: TcpSeries,
  identity: LocalIdentity | undefined,
): Upstreams {
  const connectTimeoutMs = config.upstreamConnectTimeoutMs;
  const connector = createConnector({ direction, tcp, connectTimeoutMs, identity });
  const options = { connectTimeoutMs, responseTimeoutMs: config.responseTimeoutMs };
  // Node's agent and client stay for upgrades and Expect: 100-continue; everything else takes the pool.
  const agent = createEndpointAgent(connector);
  const h1 = new H1Pool(connector);
  const pool = new H2Pool({ connector });
  const fastPool = new H2FastPool(connector);
  return {
    connector,
    forward: forward({
      'http/1.1': forwardHttp1Fast(h1, forwardHttp1({ agent, ...options }), options),
      h2: config.h2Fast ? forwardH2Fast(fastPool, options) : forwardH2(pool, options),
    }),
    close: () => {
      agent.destroy();
      h1.close();
      pool.close();
      fastPool.close();
    },
  };
}
