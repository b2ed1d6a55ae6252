import type { Logger } from 'pino';
import { accept } from '../accept/listener.js';
import type { ProxyConfig } from '../config.js';
import { createEndpointAgent } from '../endpoint/agent.js';
import { forward } from '../endpoint/forward.js';
import { serveHttp } from '../http/server.js';
import { type Side, side } from '../lifecycle/side.js';
import type { ProxyMetrics } from '../metrics/registry.js';
import { observe } from '../metrics/observe.js';
import { routeToLocalApp } from '../route/inbound-route.js';

/**
 * Inbound: traffic from other proxies (or unmeshed clients) to the local application.
 *
 *   accept → [detect: next task] → http → observe → route (local app) → endpoint
 */
export async function startInbound(config: ProxyConfig, deps: { metrics: ProxyMetrics; log: Logger }): Promise<Side> {
  const agent = createEndpointAgent();
  const endpoint = forward({
    agent,
    connectTimeoutMs: config.upstreamConnectTimeoutMs,
    responseTimeoutMs: config.responseTimeoutMs,
  });
  const http = serveHttp(observe(deps.metrics.http, routeToLocalApp(config.inboundForwardAddr, endpoint)), {
    direction: 'inbound',
    headerTimeoutMs: config.headerTimeoutMs,
  });
  const listener = await accept(config.inboundListenAddr, 'inbound', deps.log, http.handle);
  return side(listener, http, agent);
}
