import type { Logger } from 'pino';
import { accept } from '../accept/listener.js';
import type { ProxyConfig } from '../config.js';
import { detect } from '../detect/detect.js';
import { createUpstreams } from '../endpoint/upstreams.js';
import type { ExchangeEvents } from '../core/exchange-events.js';
import { serveH2 } from '../http/h2-server.js';
import { serveHttp } from '../http/server.js';
import { type Side, side } from '../lifecycle/side.js';
import { observe } from '../metrics/observe.js';
import type { ProxyMetrics } from '../metrics/registry.js';
import { observeAttempt, observeRoute } from '../metrics/route-observe.js';
import { localAppTarget, routeToLocalApp } from '../route/inbound-route.js';
import { compileRoutes } from '../route/route-table.js';
import { toBackend } from '../route/target.js';
import { tunnelTcp } from '../tcp/tunnel.js';

/**
 * Inbound: traffic from other proxies (or unmeshed clients) to the local application.
 *
 *   accept → detect ─┬→ http/1.1 ┬→ observe → route (local app, route table) → observe route → endpoint
 *                    ├→ h2 ──────┘
 *                    └→ opaque tcp → local app      (every connection, when the app's port is opaque)
 */
export async function startInbound(
  config: ProxyConfig,
  deps: { metrics: ProxyMetrics; log: Logger; events?: ExchangeEvents },
): Promise<Side> {
  const { metrics, log } = deps;
  const direction = 'inbound';
  const { tcp } = metrics;
  const app = config.inboundForwardAddr;
  const upstreams = createUpstreams(config, direction, tcp);

  const endpoint = toBackend({ endpoint: upstreams.forward });
  const measured = observeRoute(metrics.routes, observeAttempt(metrics.routes, endpoint));
  const stack = observe(metrics.http, routeToLocalApp(app, compileRoutes(config.inboundRoutes), measured), deps.events);

  const http1 = serveHttp(stack, { direction, headerTimeoutMs: config.headerTimeoutMs });
  const h2 = serveH2(stack, { direction, maxConcurrentStreams: config.h2MaxConcurrentStreams, resetLimit: config.h2ResetLimit });
  const appTarget = localAppTarget(app);
  const opaque = tunnelTcp({ direction, tcp, connectTimeoutMs: config.upstreamConnectTimeoutMs, resolve: () => appTarget });

  const detected = detect({ http1: http1.handle, h2: h2.handle, opaque: opaque.handle }, { timeoutMs: config.detectTimeoutMs });
  const handler = config.opaquePorts.has(app.port) ? opaque.handle : detected;
  const listener = await accept({ addr: config.inboundListenAddr, direction, log, tcp }, handler);
  return side([listener], [http1, h2, opaque], upstreams.close);
}
