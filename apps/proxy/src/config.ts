import { identityServiceName, parseIdentityName, type RouteTable } from '@meshviz/mesh-types';
import { z } from 'zod';
import {
  DEFAULT_OPAQUE_PORTS,
  portList,
  positiveInt,
  type RateLimit,
  routeTableJson,
  type TcpTarget,
  rateLimit,
  tcpTargets,
} from './config-values.js';
import { parseDurationMs } from './duration.js';
import { type HostPort, parseHostPort } from '@meshviz/runtime';

/**
 * The proxy's whole configuration, parsed once from the environment at startup. Nothing else reads process.env,
 * so every knob is listed here and in the README.
 */
export interface ProxyConfig {
  inboundListenAddr: HostPort;
  /** The local application the inbound side forwards to. */
  inboundForwardAddr: HostPort;
  outboundListenAddr: HostPort;
  adminListenAddr: HostPort;
  /** Where the tap server (gRPC meshviz.tap.v1.Tap) listens. */
  tapListenAddr: HostPort;
  /** Bearer token tap callers must present; unset: the tap server refuses every call. */
  tapToken?: string | undefined;
  /** Headers tap redacts (lower-case) on top of ALWAYS_REDACTED_HEADERS. */
  tapRedactHeaders?: readonly string[] | undefined;
  /** This proxy's workload as tap events name it; unset parts read as "". Optional like the tap fields above. */
  namespace?: string | undefined;
  deployment?: string | undefined;
  pod?: string | undefined;
  destinationsFile: string | undefined;
  logLevel: LogLevel;
  shutdownGracePeriodMs: number;
  metricsIdleTimeoutMs: number;
  headerTimeoutMs: number;
  upstreamConnectTimeoutMs: number;
  /** 0 disables the timeout. */
  responseTimeoutMs: number;
  parentPid: number | undefined;
  /** Route table of the local application (route_* metrics of inbound traffic). */
  inboundRoutes: RouteTable;
  /** How long protocol detection waits for a client's first bytes. */
  detectTimeoutMs: number;
  /** Ports whose traffic skips detection and is forwarded as opaque TCP (inbound: the forward port). */
  opaquePorts: ReadonlySet<number>;
  /** Extra outbound listeners, each standing for one destination authority (raw TCP has no Host). */
  outboundTcpTargets: readonly TcpTarget[];
  h2MaxConcurrentStreams: number;
  h2ResetLimit: RateLimit;
  /** Workload identity and mTLS; undefined: the proxy runs without identity (every connection plaintext). */
  identity: IdentityConfig | undefined;
  /** How long an inbound client may take to complete its TLS handshake. */
  tlsHandshakeTimeoutMs: number;
  /** App ports whose inbound traffic must be mutual TLS from a meshed client; plaintext is refused. */
  portsRequireIdentity: ReadonlySet<number>;
}

export interface IdentityConfig {
  /** This proxy's identity name (`<sa>.<ns>.serviceaccount.identity.meshviz.<trust-domain>`). */
  localName: string;
  /** The identity service (control plane) and the identity it must present. */
  serviceAddr: HostPort;
  serviceName: string;
  /** The trust anchors as PEM text, or a file holding them (re-read at each renewal, for anchor rotation). */
  trustAnchorsPem: string | undefined;
  trustAnchorsFile: string | undefined;
  /** The workload token that proves who this proxy is (re-read at each renewal). */
  tokenFile: string;
}

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const hostPort = z.string().transform((value, ctx): HostPort => {
  const parsed = parseHostPort(value);
  if (!parsed) ctx.addIssue({ code: 'custom', message: `must be host:port with a port 0-65535, got "${value}"` });
  return parsed ?? { host: '', port: 0 };
});

function duration(opts: { allowZero: boolean }) {
  return z.string().transform((value, ctx): number => {
    const ms = parseDurationMs(value);
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message: `must be a duration such as 500ms, 10s, 1m30s, got "${value}"` });
      return 0;
    }
    if (ms === 0 && !opts.allowZero) ctx.addIssue({ code: 'custom', message: 'must be greater than zero' });
    return ms;
  });
}

/** Comma-separated header names, any case; empty items are ignored. */
const headerNames = z.string().transform((value, ctx): string[] => {
  const names = value
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '');
  const bad = names.find((name) => !/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name));
  if (bad !== undefined) ctx.addIssue({ code: 'custom', message: `must be comma-separated header names, got "${bad}"` });
  return names;
});

const EnvSchema = z.object({
  PROXY_INBOUND_LISTEN_ADDR: hostPort.prefault('0.0.0.0:4143'),
  PROXY_INBOUND_FORWARD_ADDR: hostPort.prefault('127.0.0.1:8080'),
  PROXY_OUTBOUND_LISTEN_ADDR: hostPort.prefault('127.0.0.1:4140'),
  PROXY_ADMIN_LISTEN_ADDR: hostPort.prefault('0.0.0.0:4191'),
  PROXY_TAP_LISTEN_ADDR: hostPort.prefault('0.0.0.0:4190'),
  PROXY_TAP_TOKEN: z.string().optional(),
  PROXY_TAP_REDACT_HEADERS: headerNames.optional(),
  PROXY_NAMESPACE: z.string().optional(),
  PROXY_DEPLOYMENT: z.string().optional(),
  PROXY_POD: z.string().optional(),
  PROXY_DESTINATIONS_FILE: z.string().optional(),
  PROXY_LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  PROXY_SHUTDOWN_GRACE_PERIOD: duration({ allowZero: true }).prefault('30s'),
  PROXY_METRICS_IDLE_TIMEOUT: duration({ allowZero: false }).prefault('10m'),
  PROXY_HEADER_TIMEOUT: duration({ allowZero: false }).prefault('10s'),
  PROXY_UPSTREAM_CONNECT_TIMEOUT: duration({ allowZero: false }).prefault('1s'),
  PROXY_RESPONSE_TIMEOUT: duration({ allowZero: true }).prefault('10s'),
  PROXY_INBOUND_ROUTES: routeTableJson.prefault('[]'),
  PROXY_DETECT_TIMEOUT: duration({ allowZero: false }).prefault('1s'),
  PROXY_OPAQUE_PORTS: portList.prefault(DEFAULT_OPAQUE_PORTS),
  PROXY_OUTBOUND_TCP_TARGETS: tcpTargets.prefault(''),
  PROXY_H2_MAX_CONCURRENT_STREAMS: positiveInt.prefault('100'),
  PROXY_H2_RESET_RATE_LIMIT: rateLimit.prefault('200/10s'),
  PROXY_IDENTITY_LOCAL_NAME: z
    .string()
    .refine((name) => parseIdentityName(name) !== undefined, {
      message: 'must be an identity name such as web.shop.serviceaccount.identity.meshviz.cluster.local',
    })
    .optional(),
  PROXY_IDENTITY_SVC_ADDR: hostPort.optional(),
  PROXY_IDENTITY_SVC_NAME: z.string().optional(),
  PROXY_IDENTITY_TRUST_ANCHORS: z.string().includes('-----BEGIN CERTIFICATE-----', { error: 'must hold PEM certificates' }).optional(),
  PROXY_IDENTITY_TRUST_ANCHORS_FILE: z.string().optional(),
  PROXY_IDENTITY_TOKEN_FILE: z.string().optional(),
  PROXY_TLS_HANDSHAKE_TIMEOUT: duration({ allowZero: false }).prefault('10s'),
  PROXY_INBOUND_PORTS_REQUIRE_IDENTITY: portList.prefault('none'),
  PROXY_PARENT_PID: z
    .string()
    .regex(/^[1-9]\d*$/, 'must be a positive integer process id')
    .transform(Number)
    .optional(),
});

/**
 * Parses the environment. Empty variables count as unset (a blank line in an env file should not break startup).
 * Throws ConfigError whose message names every bad variable and what is wrong with it.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ProxyConfig {
  const present = Object.fromEntries(
    Object.entries(env).filter(([key, value]) => key.startsWith('PROXY_') && value !== undefined && value !== ''),
  );
  const result = EnvSchema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
  }
  const e = result.data;
  return {
    identity: identityConfig(e),
    tlsHandshakeTimeoutMs: e.PROXY_TLS_HANDSHAKE_TIMEOUT,
    portsRequireIdentity: requireIdentityPorts(e),
    inboundListenAddr: e.PROXY_INBOUND_LISTEN_ADDR,
    inboundForwardAddr: e.PROXY_INBOUND_FORWARD_ADDR,
    outboundListenAddr: e.PROXY_OUTBOUND_LISTEN_ADDR,
    adminListenAddr: e.PROXY_ADMIN_LISTEN_ADDR,
    tapListenAddr: e.PROXY_TAP_LISTEN_ADDR,
    tapToken: e.PROXY_TAP_TOKEN,
    tapRedactHeaders: e.PROXY_TAP_REDACT_HEADERS,
    namespace: e.PROXY_NAMESPACE,
    deployment: e.PROXY_DEPLOYMENT,
    pod: e.PROXY_POD,
    destinationsFile: e.PROXY_DESTINATIONS_FILE,
    logLevel: e.PROXY_LOG_LEVEL,
    shutdownGracePeriodMs: e.PROXY_SHUTDOWN_GRACE_PERIOD,
    metricsIdleTimeoutMs: e.PROXY_METRICS_IDLE_TIMEOUT,
    headerTimeoutMs: e.PROXY_HEADER_TIMEOUT,
    upstreamConnectTimeoutMs: e.PROXY_UPSTREAM_CONNECT_TIMEOUT,
    responseTimeoutMs: e.PROXY_RESPONSE_TIMEOUT,
    parentPid: e.PROXY_PARENT_PID,
    inboundRoutes: e.PROXY_INBOUND_ROUTES,
    detectTimeoutMs: e.PROXY_DETECT_TIMEOUT,
    opaquePorts: e.PROXY_OPAQUE_PORTS,
    outboundTcpTargets: e.PROXY_OUTBOUND_TCP_TARGETS,
    h2MaxConcurrentStreams: e.PROXY_H2_MAX_CONCURRENT_STREAMS,
    h2ResetLimit: e.PROXY_H2_RESET_RATE_LIMIT,
  };
}

/** Ports that require identity make sense only with identity on: without it every client would be refused. */
function requireIdentityPorts(e: z.output<typeof EnvSchema>): ReadonlySet<number> {
  const ports = e.PROXY_INBOUND_PORTS_REQUIRE_IDENTITY;
  if (ports.size > 0 && e.PROXY_IDENTITY_LOCAL_NAME === undefined) {
    throw new ConfigError(
      'invalid configuration: PROXY_INBOUND_PORTS_REQUIRE_IDENTITY needs identity (PROXY_IDENTITY_LOCAL_NAME): without it no client could connect',
    );
  }
  return ports;
}

/** Identity is on when PROXY_IDENTITY_LOCAL_NAME is set; it then needs the service, the anchors and a token. */
function identityConfig(e: z.output<typeof EnvSchema>): IdentityConfig | undefined {
  const localName = e.PROXY_IDENTITY_LOCAL_NAME;
  if (localName === undefined) return undefined;
  const missing = [
    e.PROXY_IDENTITY_SVC_ADDR ? null : 'PROXY_IDENTITY_SVC_ADDR',
    e.PROXY_IDENTITY_TRUST_ANCHORS || e.PROXY_IDENTITY_TRUST_ANCHORS_FILE ? null : 'PROXY_IDENTITY_TRUST_ANCHORS (or _FILE)',
    e.PROXY_IDENTITY_TOKEN_FILE ? null : 'PROXY_IDENTITY_TOKEN_FILE',
  ].filter((name) => name !== null);
  if (missing.length > 0) {
    throw new ConfigError(`invalid configuration: PROXY_IDENTITY_LOCAL_NAME is set, so ${missing.join(', ')} must be set too`);
  }
  const trustDomain = parseIdentityName(localName)?.trustDomain ?? '';
  return {
    localName,
    serviceAddr: e.PROXY_IDENTITY_SVC_ADDR!,
    serviceName: e.PROXY_IDENTITY_SVC_NAME ?? identityServiceName(trustDomain),
    trustAnchorsPem: e.PROXY_IDENTITY_TRUST_ANCHORS,
    trustAnchorsFile: e.PROXY_IDENTITY_TRUST_ANCHORS_FILE,
    tokenFile: e.PROXY_IDENTITY_TOKEN_FILE!,
  };
}
