import type { Logger } from 'pino';
import { type Accepted, accept, type ConnectionHandler } from '../accept/listener.js';
import type { OriginalDstReader } from '../accept/original-dst.js';
import type { ProxyConfig } from '../config.js';
import type { ExchangeEvents } from '../core/exchange-events.js';
import { noTls, TLS_DISABLED } from '../core/tls-status.js';
import { detect } from '../detect/detect.js';
import { createUpstreams } from '../endpoint/upstreams.js';
import { serveHttpFast } from '../h1/server.js';
import { serveH2 } from '../http/h2-server.js';
import type { LocalIdentity } from '../identity/local-identity.js';
import { type Side, side } from '../lifecycle/side.js';
import { observe } from '../metrics/observe.js';
import type { ProxyMetrics } from '../metrics/registry.js';
import { observeAttempt, observeRoute } from '../metrics/route-observe.js';
import { decide } from '../policy/decide.js';
import { enforce } from '../policy/enforce.js';
import { holdForPolicy } from '../policy/hold.js';
import type { PolicyState } from '../policy/state.js';
import { authorizeTcp } from '../policy/tcp-authz.js';
import { localApp, routeToLocalApp } from '../route/inbound-route.js';
import { compileRoutes } from '../route/route-table.js';
import { toBackend } from '../route/target.js';
import { tunnelTcp } from '../tcp/tunnel.js';
import { refusePlaintext } from '../tls/require-identity.js';
import { terminateTls } from '../tls/terminate.js';
import { stripReserved } from './strip-reserved.js';

/**
 * Inbound: traffic from other proxies (or unmeshed clients) to the local application.
 *
 *   accept → hold (until the first policy) → detect ─┬→ tls (SNI = this proxy's identity) → terminate mTLS → by ALPN ─┐   (identity on)
 *                                                     ├→ http/1.1 ┬──────────────────────────────────────────────────┤
 *                                                     ├→ h2 ──────┘                                                   ├→ decide → observe → enforce → strip reserved headers → route (local app, route table) → observe route → endpoint
 *                                                     └→ opaque tcp (or another name's TLS) → authorize → local app  (every connection, when the port is opaque)
 *
 * decide matches the request to the policy's route and authorization; observe (metrics, tap) sees every decision,
 * refusals included; enforce answers 403 unauthorized / 404 route_not_found. Opaque connections are authorized once,
 * and refused ones closed before the app is dialled. The port is opaque by PROXY_OPAQUE_PORTS or by the policy in
 * force (protocol opaque or TLS). Ports a policy declares HTTP/1, HTTP/2 or gRPC are still detected: the stream
 * needs identity, and with identity the first bytes are read anyway to find an mTLS ClientHello.
 *
 * With transparent interception a redirected connection's original destination port is the app's port: the
 * forward address, the policy, the opaque and require-identity checks all follow it, connection by connection.
 */
export async function startInbound(
  config: ProxyConfig,
  deps: {
    metrics: ProxyMetrics;
    log: Logger;
    policy: PolicyState;
    events?: ExchangeEvents;
    identity?: LocalIdentity | undefined;
    /** Transparent interception: a redirected connection's original port is the app's port it is forwarded to. */
    originalDst?: OriginalDstReader | undefined;
  },
): Promise<Side> {
  const { metrics, log, identity, policy, originalDst } = deps;
  const direction = 'inbound';
  const { tcp } = metrics;
  const app = localApp(config.inboundForwardAddr);
  const appPort = (accepted: Accepted): number => accepted.original?.port ?? config.inboundForwardAddr.port;
  const upstreams = createUpstreams(config, direction, tcp, identity);

  const endpoint = toBackend({ endpoint: upstreams.forward });
  const measured = observeRoute(metrics.routes, observeAttempt(metrics.routes, endpoint));
  const routed = routeToLocalApp(app, compileRoutes(config.inboundRoutes), measured);
  const stack = decide(policy, observe(metrics.http, enforce(metrics.authz, stripReserved(routed)), deps.events));

  const http1 = serveHttpFast(stack, { direction, headerTimeoutMs: config.headerTimeoutMs });
  const h2 = serveH2(stack, { direction, maxConcurrentStreams: config.h2MaxConcurrentStreams, resetLimit: config.h2ResetLimit, fastServer: config.h2ServerFast });
  const opaque = tunnelTcp({ connector: upstreams.connector, resolve: (accepted) => app(accepted.original) });
  const authorized = authorizeTcp(policy, metrics.authz, opaque.handle);

  // Decided per connection, so a new policy's protocol applies to the next connection.
  const opaquePort = (accepted: Accepted): boolean => {
    const port = appPort(accepted);
    return config.opaquePorts.has(port) || policy.forPort(accepted.original?.port).opaque;
  };
  const unlessOpaque = (handler: ConnectionHandler): ConnectionHandler => (socket, accepted, first) =>
    (opaquePort(accepted) ? authorized : handler)(socket, accepted, first);
  const detected = detect({ http1: http1.handle, h2: h2.handle, opaque: authorized, tls: authorized }, { timeoutMs: config.detectTimeoutMs });
  const addr = config.inboundListenAddr;
  const held = (next: ConnectionHandler) => holdForPolicy(policy, config.policy.initialWaitMs, next);
  if (!identity) {
    // Without identity there is no policy stream: the default policy (protocol unknown) is in force.
    const listener = await accept({ addr, direction, log, tcp, tls: TLS_DISABLED, originalDst }, held(unlessOpaque(detected)));
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
  const decrypted = { http1: unlessOpaque(http1.handle), h2: unlessOpaque(h2.handle), opaque: authorized, other: unlessOpaque(detected) };
  // Another name's TLS is the app's own, in plaintext as far as the mesh is concerned. Whether the app's port
  // requires identity is decided per connection: with interception each names its own port.
  const unlessIdentityRequired = (refused: ConnectionHandler, handler: ConnectionHandler): ConnectionHandler => (socket, accepted, first) =>
    (config.portsRequireIdentity.has(appPort(accepted)) ? refused : handler)(socket, accepted, first);
  const tls = terminateTls(terminateOptions, decrypted, plaintext(unlessIdentityRequired(refusePlaintext('opaque'), authorized)));
  const plainHandlers = {
    http1: plaintext(unlessIdentityRequired(refusePlaintext('http1'), unlessOpaque(http1.handle))),
    h2: plaintext(unlessIdentityRequired(refusePlaintext('h2'), unlessOpaque(h2.handle))),
    opaque: plaintext(unlessIdentityRequired(refusePlaintext('opaque'), authorized)),
  };
  const outer = detect({ ...plainHandlers, tls }, { timeoutMs: config.detectTimeoutMs });
  const listener = await accept({ addr, direction, log, tcp, tls: undefined, originalDst }, held(outer));
  return side([listener], [http1, h2, opaque], upstreams.close);
}

const FROM_REMOTE = noTls('no_tls_from_remote');
