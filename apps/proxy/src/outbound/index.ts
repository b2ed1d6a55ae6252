import type { Logger } from 'pino';
import { accept, type ConnectionHandler } from '../accept/listener.js';
import type { OriginalDstReader } from '../accept/original-dst.js';
import { balance } from '../balance/p2c.js';
import type { ProxyConfig } from '../config.js';
import type { ExchangeEvents } from '../core/exchange-events.js';
import { noTls, TLS_DISABLED } from '../core/tls-status.js';
import { detect } from '../detect/detect.js';
import type { DestinationsTable } from '../discovery/destinations.js';
import { createUpstreams } from '../endpoint/upstreams.js';
import { injectFaults } from '../fault/inject.js';
import { serveHttpFast } from '../h1/server.js';
import { serveH2 } from '../http/h2-server.js';
import type { LocalIdentity } from '../identity/local-identity.js';
import { type Side, side } from '../lifecycle/side.js';
import { observe } from '../metrics/observe.js';
import type { ProxyMetrics } from '../metrics/registry.js';
import { observeAttempt, observeRoute } from '../metrics/route-observe.js';
import { retry } from '../retry/retry.js';
import { routeByAuthority } from '../route/outbound-route.js';
import { toBackend } from '../route/target.js';
import { routeTcp } from '../route/tcp-route.js';
import { split } from '../split/split-stage.js';
import { tunnelTcp } from '../tcp/tunnel.js';
import { deadline } from '../timeout/deadline.js';

/**
 * Outbound: the local application's calls to other services, addressed by authority, or, with transparent
 * interception, by the address the app dialled (its original destination; see the route stages).
 *
 *   accept → detect ─┬→ http/1.1 ┬→ observe → route (by authority) → observe route → faults → timeouts → retry → observe attempt → split ─┬→ balance → endpoint (mTLS when meshed)
 *                    ├→ h2 ──────┘                                                                                                      └→ endpoint (unmeshed)
 *                    └→ opaque tcp → balance → endpoint                 (TCP target ports; redirected connections)
 *
 * route matches the service's outbound routes (or its route table); faults, timeouts and split act only on outbound
 * routes; retry follows the route's rule within its budget; split picks the backend per attempt by weight; balance is
 * power of two choices over peak-EWMA cost, skipping endpoints whose breaker is open.
 */
export async function startOutbound(
  config: ProxyConfig,
  deps: {
    metrics: ProxyMetrics;
    destinations: DestinationsTable;
    log: Logger;
    events?: ExchangeEvents;
    identity?: LocalIdentity | undefined;
    /** Transparent interception: routes each redirected connection by the address the app dialled. */
    originalDst?: OriginalDstReader | undefined;
  },
): Promise<Side> {
  const { metrics, log, destinations, identity, originalDst } = deps;
  const direction = 'outbound';
  const { tcp } = metrics;
  const upstreams = createUpstreams(config, direction, tcp, identity);
  // The local app reaches this side over loopback; the hop to the endpoint is where mTLS happens.
  const tls = identity ? noTls('loopback') : TLS_DISABLED;

  const { routes, outbound } = metrics;
  const backend = toBackend({ balanced: balance(upstreams.forward), endpoint: upstreams.forward });
  const attempts = retry(outbound, observeAttempt(routes, split(outbound, backend)));
  const measured = observeRoute(routes, injectFaults(outbound, deadline(attempts)), outbound);
  const stack = observe(metrics.http, routeByAuthority(destinations, measured), deps.events);

  const http1 = serveHttpFast(stack, { direction, headerTimeoutMs: config.headerTimeoutMs });
  const h2 = serveH2(stack, { direction, maxConcurrentStreams: config.h2MaxConcurrentStreams, resetLimit: config.h2ResetLimit, fastServer: config.h2ServerFast });
  const opaque = tunnelTcp({ connector: upstreams.connector, ...routeTcp(destinations) });

  // The app's own TLS (to an unmeshed destination) is opaque to this side.
  const handlers = { http1: http1.handle, h2: h2.handle, opaque: opaque.handle, tls: opaque.handle };
  const detected = detect(handlers, { timeoutMs: config.detectTimeoutMs });
  // A redirected connection to an opaque port (server-speaks-first) skips detection, as a TCP target port does.
  const main: ConnectionHandler = (socket, accepted, first) =>
    (accepted.original && config.opaquePorts.has(accepted.original.port) ? opaque.handle : detected)(socket, accepted, first);
  const host = config.outboundListenAddr.host;
  const listeners = [await accept({ addr: config.outboundListenAddr, direction, log, tcp, tls, originalDst }, main)];
  for (const { port, authority } of config.outboundTcpTargets) {
    // A server-speaks-first destination port skips detection, as the inbound side does for its app's port.
    const opaquePort = config.opaquePorts.has(Number(authority.slice(authority.lastIndexOf(':') + 1)));
    const addr = { host, port };
    listeners.push(await accept({ addr, direction, log, tcp, tls, logical: authority }, opaquePort ? opaque.handle : detected));
  }
  return side(listeners, [http1, h2, opaque], upstreams.close);
}
