import { DEFAULT_CLUSTER_NETWORKS } from '@meshviz/mesh-types';
import { parseHostPort } from '@meshviz/runtime';
import pino from 'pino';
import { H2_FAST_DEFAULT, H2_SERVER_FAST_DEFAULT, type ProxyConfig } from '../config.js';
import { type ProxyHandle, startProxy } from '../proxy.js';

/** Every listener on a free loopback port; short timeouts so failure cases finish fast. */
export function testConfig(overrides: Partial<ProxyConfig> = {}): ProxyConfig {
  const any = { host: '127.0.0.1', port: 0 };
  return {
    interception: 'explicit',
    inboundListenAddr: any,
    inboundForwardAddr: { host: '127.0.0.1', port: 1 },
    outboundListenAddr: any,
    adminListenAddr: any,
    tapListenAddr: any,
    destinationsFile: undefined,
    destinationService: undefined,
    destinationInitialWaitMs: 1_000,
    logLevel: 'silent',
    shutdownGracePeriodMs: 2_000,
    metricsIdleTimeoutMs: 600_000,
    headerTimeoutMs: 2_000,
    upstreamConnectTimeoutMs: 500,
    responseTimeoutMs: 2_000,
    parentPid: undefined,
    inboundRoutes: [],
    detectTimeoutMs: 300,
    opaquePorts: new Set(),
    outboundTcpTargets: [],
    h2MaxConcurrentStreams: 100,
    h2ResetLimit: { count: 200, windowMs: 10_000 },
    h2Fast: (process.env.PROXY_H2_FAST ?? H2_FAST_DEFAULT) === 'on',
    h2ServerFast: (process.env.PROXY_H2_SERVER_FAST ?? H2_SERVER_FAST_DEFAULT) === 'on',
    identity: undefined,
    tlsHandshakeTimeoutMs: 2_000,
    portsRequireIdentity: new Set(),
    policy: { service: undefined, defaultPolicy: 'all-unauthenticated', probePaths: [], clusterNetworks: [...DEFAULT_CLUSTER_NETWORKS], initialWaitMs: 1_000, port: undefined },
    ...overrides,
  };
}

export const silentLog = pino({ level: 'silent' });

/** Starts a proxy with test defaults; `forwardTo` is the local app's host:port. */
export function startTestProxy(forwardTo: string, overrides: Partial<ProxyConfig> = {}): Promise<ProxyHandle> {
  const inboundForwardAddr = parseHostPort(forwardTo);
  if (!inboundForwardAddr) throw new Error(`bad address ${forwardTo}`);
  return startProxy(testConfig({ inboundForwardAddr, ...overrides }), { log: silentLog, destinationsPollMs: 50 });
}

export function portOf(address: string): number {
  return Number(address.slice(address.lastIndexOf(':') + 1));
}
