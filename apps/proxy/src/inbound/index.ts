import type { Logger } from 'pino';
import { accept, type ConnectionHandler } from '../accept/listener.js';
import { noTls, TLS_DISABLED } from '../core/tls-status.js';
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
import type { LocalIdentity } from '../identity/local-identity.js';
import { tunnelTcp } from '../tcp/tunnel.js';
import { refusePlaintext } from '../tls/require-identity.js';
import { terminateTls } from '../tls/terminate.js';

/**
 * Inbound: traffic from other proxies (or unmeshed clients) to the local application.
 *
 *   accept → detect ─┬→ tls (SNI = this proxy's identity) → terminate mTLS → by ALPN ─┐   (identity on)
 *                    ├→ http/1.1 ┬───────────────────────────────────────────────────┤
 *                    ├→ h2 ──────┘                                                    ├→ observe → route (local app, route table) → observe route → endpoint
 *                    └→ opaque tcp (or another name's TLS) → local app               (every connection, when the app's port is opaque)
 */
export async function startInbound(
  config: ProxyConfig,
  deps: { metrics: ProxyMetrics; log: Logger; events?: ExchangeEvents; identity?: LocalIdentity | undefined },
): Promise<Side> {
  const { metrics, log, identity } = deps;
  const direction = 'inbound';
  const { tcp } = metrics;
  const app = config.inboundForwardAddr;
  const upstreams = createUpstreams(config, direction, tcp, identity);

  const endpoint = toBackend({ endpoint: upstreams.forward });
  const measured = observeRoute(metrics.routes, observeAttempt(metrics.routes, endpoint));
  const stack = observe(metrics.http, routeToLocalApp(app, compileRoutes(config.inboundRoutes), measured), deps.events);

  const http1 = serveHttp(stack, { direction, headerTimeoutMs: config.headerTimeoutMs });
  const h2 = serveH2(stack, { direction, maxConcurrentStreams: config.h2MaxConcurrentStreams, resetLimit: config.h2ResetLimit });
  const appTarget = localAppTarget(app);
  const opaque = tunnelTcp({ connector: upstreams.connector, resolve: () => appTarget });

  const detectOptions = { timeoutMs: config.detectTimeoutMs };
  const opaquePort = config.opaquePorts.has(app.port);
  const addr = config.inboundListenAddr;
  if (!identity) {
    const detected = detect({ http1: http1.handle, h2: h2.handle, opaque: opaque.handle, tls: opaque.handle }, detectOptions);
    const listener = await accept({ addr, direction, log, tcp, tls: TLS_DISABLED }, opaquePort ? opaque.handle : detected);
    return side([listener], [http1, h2, opaque], upstreams.close);
  }

  // With identity, every connection is first looked at for a ClientHello meant for this proxy (mTLS from another
  // proxy); the rest is plaintext from the remote. On an opaque port a silent client still reaches its app after
  // the detect timeout, as a server-speaks-first protocol needs.
  const plaintext = (handler: ConnectionHandler): ConnectionHandler => (socket, accepted) => {
    tcp.track(socket, direction, 'src', FROM_REMOTE);
    handler(socket, { ...accepted, tls: FROM_REMOTE });
  };
  const terminateOptions = { identity, tcp, log, handshakeTimeoutMs: config.tlsHandshakeTimeoutMs };
  const protocols = { http1: http1.handle, h2: h2.handle, opaque: opaque.handle };
  const inner = opaquePort ? opaque.handle : detect({ ...protocols, tls: opaque.handle }, detectOptions);
  const decrypted = opaquePort
    ? { http1: opaque.handle, h2: opaque.handle, opaque: opaque.handle, other: opaque.handle }
    : { ...protocols, other: inner };
  // Another name's TLS is the app's own, in plaintext as far as the mesh is concerned.
  const passthrough = config.portsRequireIdentity.has(app.port) ? refusePlaintext('opaque') : opaque.handle;
  const tls = terminateTls(terminateOptions, decrypted, plaintext(passthrough));
  const plainHandlers = config.portsRequireIdentity.has(app.port)
    ? { http1: plaintext(refusePlaintext('http1')), h2: plaintext(refusePlaintext('h2')), opaque: plaintext(refusePlaintext('opaque')) }
    : opaquePort
      ? { http1: plaintext(opaque.handle), h2: plaintext(opaque.handle), opaque: plaintext(opaque.handle) }
      : { http1: plaintext(http1.handle), h2: plaintext(h2.handle), opaque: plaintext(opaque.handle) };
  const detected = detect({ ...plainHandlers, tls }, detectOptions);
  const listener = await accept({ addr, direction, log, tcp, tls: undefined }, detected);
  return side([listener], [http1, h2, opaque], upstreams.close);
}

const FROM_REMOTE = noTls('no_tls_from_remote');
