import type { Logger } from 'pino';
import { type AdminServer, startAdmin } from './admin/server.js';
import { PROXY_VERSION } from './build-info.js';
import type { ProxyConfig } from './config.js';
import { openDestinations } from './discovery/watch.js';
import { formatHostPort } from './host-port.js';
import { startInbound } from './inbound/index.js';
import type { Side } from './lifecycle/side.js';
import { createLogger } from './log.js';
import { createProxyMetrics } from './metrics/registry.js';
import { startOutbound } from './outbound/index.js';

export interface ProxyHandle {
  /** host:port actually bound by each listener. */
  readonly addresses: { readonly inbound: string; readonly outbound: string; readonly admin: string };
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
  const destinations = openDestinations(config.destinationsFile, log, options.destinationsPollMs);
  let ready = false;

  const opened: { admin?: AdminServer; sides: Side[] } = { sides: [] };
  const release = async (graceMs: number): Promise<void> => {
    ready = false;
    await Promise.all(opened.sides.map((s) => s.shutdown(graceMs)));
    destinations.close();
    metrics.close();
    // Last, so Prometheus can still scrape while traffic drains.
    await opened.admin?.close();
  };

  try {
    opened.admin = await startAdmin(config.adminListenAddr, { registry: metrics.registry, isReady: () => ready, log });
    const inbound = await startInbound(config, { metrics, log });
    opened.sides.push(inbound);
    const outbound = await startOutbound(config, { metrics, destinations: destinations.table, log });
    opened.sides.push(outbound);
    ready = true;

    const addresses = { inbound: inbound.address, outbound: outbound.address, admin: opened.admin.address };
    log.info(
      {
        addresses,
        forward: formatHostPort(config.inboundForwardAddr),
        tap: `${formatHostPort(config.tapListenAddr)} (not served yet)`,
        version: PROXY_VERSION,
      },
      'proxy ready',
    );
    let stopping: Promise<void> | undefined;
    return {
      addresses,
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
