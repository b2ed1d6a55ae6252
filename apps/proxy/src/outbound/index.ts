import type { Logger } from 'pino';
import { accept } from '../accept/listener.js';
import { balance } from '../balance/p2c.js';
import type { ProxyConfig } from '../config.js';
import type { DestinationsTable } from '../discovery/destinations.js';
import { createEndpointAgent } from '../endpoint/agent.js';
import { forward } from '../endpoint/forward.js';
import { serveHttp } from '../http/server.js';
import { type Side, side } from '../lifecycle/side.js';
import type { ProxyMetrics } from '../metrics/registry.js';
import { observe } from '../metrics/observe.js';
import { routeByAuthority } from '../route/outbound-route.js';

/**
 * Outbound: the local application's calls to other services, addressed by Host.
 *
 *   accept → [detect: next task] → http → observe → route (by authority) ─┬→ balance → endpoint   (meshed service)
 *                                                                         └→ endpoint             (unmeshed host)
 */
export async function startOutbound(
  config: ProxyConfig,
  deps: { metrics: ProxyMetrics; destinations: DestinationsTable; log: Logger },
): Promise<Side> {
  const agent = createEndpointAgent();
  const endpoint = forward({
    agent,
    connectTimeoutMs: config.upstreamConnectTimeoutMs,
    responseTimeoutMs: config.responseTimeoutMs,
  });
  const route = routeByAuthority(deps.destinations, { service: balance(endpoint), unmeshed: endpoint });
  const http = serveHttp(observe(deps.metrics.http, route), {
    direction: 'outbound',
    headerTimeoutMs: config.headerTimeoutMs,
  });
  const listener = await accept(config.outboundListenAddr, 'outbound', deps.log, http.handle);
  return side(listener, http, agent);
}
