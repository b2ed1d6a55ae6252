import { type AdminServer, formatHostPort, startAdmin } from '@meshviz/runtime';
import type { Logger } from 'pino';
import { loadOriginalDst } from './accept/original-dst.js';
import { PROXY_VERSION } from './build-info.js';
import type { ProxyConfig } from './config.js';
import { DestinationsTable } from './discovery/destinations.js';
import { openDiscovery } from './discovery/source.js';
import { startIdentity } from './identity/refresh.js';
import { startInbound } from './inbound/index.js';
import type { Side } from './lifecycle/side.js';
import { createLogger } from './log.js';
import { createProxyMetrics } from './metrics/registry.js';
import { startOutbound } from './outbound/index.js';
import { PolicyState } from './policy/state.js';
import { startPolicyStream } from './policy/stream.js';
import { type RunningTap, startTap, type TapState } from './tap/index.js';

export interface ProxyHandle {
  /** host:port actually bound by each listener. */
  readonly addresses: {
    readonly inbound: string;
    readonly outbound: string;
    readonly admin: string;
    readonly tap: string;
  };
  /** Whether anyone taps, and how many exchanges took the tap path. */
  readonly tap: TapState;
  /** Stop accepting, finish in-flight exchanges within the grace period, release everything. Idempotent. */
  shutdown(): Promise<void>;
}

export interface StartOptions {
  readonly log?: Logger;
  /** How often the destinations file is checked for changes. */
  readonly destinationsPollMs?: number;
}

/** Starts a proxy: admin server first (so /ready can say "not yet"), then the inbound and outbound sides. */
export async function startProxy(config: ProxyConfig, options: StartOptions = {}): Promise<ProxyHandle> {
  const log = options.log ?? createLogger(config.logLevel);
  const metrics = createProxyMetrics({ idleTimeoutMs: config.metricsIdleTimeoutMs, version: PROXY_VERSION });
  let ready = false;
  // Certification starts at once, beside the listeners; /ready waits for both.
  const running = config.identity ? startIdentity(config.identity, { registry: metrics.registry, log }) : undefined;
  const identity = running?.identity;
  // Discovery: the destination stream (once certified) and/or the destinations file.
  const table = new DestinationsTable({
    awaitFirst: config.destinationService !== undefined && identity !== undefined && config.destinationsFile === undefined,
    initialWaitMs: config.destinationInitialWaitMs,
    onTransition: (pool, endpoint, state, penaltyMs) => {
      const endpointAddr = endpoint.target.destination.targetAddr;
      metrics.balancer.transition(pool, endpointAddr, state);
      const fields = { parent: pool.parent, backend: pool.backend, endpoint: endpointAddr, penaltyMs };
      if (state === 'tripped') log.warn(fields, 'endpoint breaker tripped');
      else log.info(fields, state === 'closed' ? 'endpoint breaker closed' : 'endpoint breaker in probation');
    },
  });
  metrics.balancer.watch(() => table.balancers());
  const destinations = openDiscovery(config, table, { identity, log, pollMs: options.destinationsPollMs });
  // The inbound policy: the default at once without a policy service, else the stream's once this proxy is certified.
  const policy = new PolicyState({
    port: config.policy.port ?? config.inboundForwardAddr.port,
    defaults: config.policy,
    awaitControl: config.policy.service !== undefined,
    registry: metrics.registry,
    log,
  });
  const service = config.policy.service;
  const stream =
    service && identity
      ? startPolicyStream({ addr: service.addr, serverName: service.name, workload: service.workload, identity, state: policy, log })
      : undefined;

  const opened: { admin?: AdminServer; tap?: RunningTap; sides: Side[] } = { sides: [] };
  const release = async (graceMs: number): Promise<void> => {
    ready = false;
    running?.stop();
    stream?.stop();
    // Tap streams end at once rather than holding the grace period open.
    await Promise.all([opened.tap?.close(), ...opened.sides.map((s) => s.shutdown(graceMs))]);
    destinations.close();
    table.close();
    metrics.close();
    // Last, so Prometheus can still scrape while traffic drains.
    await opened.admin?.close();
  };

  try {
    opened.admin = await startAdmin(config.adminListenAddr, { registry: metrics.registry, isReady: () => ready && (identity?.ready ?? true), log });
    // Before the sides, whose observe stages report every exchange to tap.events.
    const tap = await startTap(config, { metrics, log });
    opened.tap = tap;
    // Transparent interception reads each redirected connection's original destination (Linux only).
    const originalDst = config.interception === 'transparent' ? await loadOriginalDst() : undefined;
    const inbound = await startInbound(config, { metrics, log, events: tap.events, identity, policy, originalDst });
    opened.sides.push(inbound);
    const outbound = await startOutbound(config, {
      metrics,
      destinations: table,
      log,
      events: tap.events,
      identity,
      originalDst,
    });
    opened.sides.push(outbound);
    ready = true;

    const addresses = {
      inbound: inbound.address,
      outbound: outbound.address,
      admin: opened.admin.address,
      tap: tap.address,
    };
    log.info(
      {
        addresses,
        forward: formatHostPort(config.inboundForwardAddr),
        interception: config.interception,
        identity: identity?.name ?? 'disabled',
        version: PROXY_VERSION,
      },
      'proxy ready',
    );
    let stopping: Promise<void> | undefined;
    return {
      addresses,
      tap: tap.state,
      shutdown: () => {
        stopping ??= release(config.shutdownGracePeriodMs);
        return stopping;
      },
    };
  } catch (error) {
    await release(0);
    throw error;
  }
}
