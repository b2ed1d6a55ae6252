import type { Logger } from 'pino';
import type { ProxyConfig } from '../config.js';
import type { ExchangeEvents } from '../core/exchange-events.js';
import type { ProxyMetrics } from '../metrics/registry.js';
import { TapHub } from './hub.js';
import { startTapServer, type TapServer } from './listener.js';
import { createTapMetrics } from './metrics.js';

/** What a running proxy shows of its tap: enough for tests and diagnostics, nothing that changes it. */
export type TapState = Readonly<Pick<TapHub, 'active' | 'inspected' | 'size'>>;

export interface RunningTap extends TapServer {
  /** What the observe stages report exchanges to (ExchangeEvents). */
  readonly events: ExchangeEvents;
  readonly state: TapState;
}

/**
 * Creates the proxy's tap hub and serves Observe on PROXY_TAP_LISTEN_ADDR (loading gRPC only once someone
 * connects). The inbound and outbound observe stages report their exchanges to `events`.
 */
export async function startTap(config: ProxyConfig, deps: { metrics: ProxyMetrics; log: Logger }): Promise<RunningTap> {
  const hub = new TapHub({
    identity: {
      namespace: config.namespace ?? '',
      deployment: config.deployment ?? '',
      pod: config.pod ?? '',
      identityName: config.identity?.localName ?? '',
    },
    redactHeaders: config.tapRedactHeaders ?? [],
    metrics: createTapMetrics(deps.metrics.registry),
    log: deps.log,
  });
  if (!config.tapToken) deps.log.warn('PROXY_TAP_TOKEN is not set: the tap server refuses every call');
  const server = await startTapServer(config.tapListenAddr, hub, { token: config.tapToken, log: deps.log, prefaceTimeoutMs: config.headerTimeoutMs });
  return { address: server.address, close: server.close, events: hub, state: hub };
}
