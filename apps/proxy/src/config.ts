import {
  CONTROL_NAMESPACE,
  DEFAULT_CLUSTER_NETWORKS,
  DEFAULT_POLICIES,
  type DefaultPolicy,
  identityName,
  identityServiceName,
  MESH_DEFAULT_POLICY,
  POLICY_DEFAULTS,
  parseIdentityName,
  type RouteTable,
} from '@meshviz/mesh-types';
import { ConfigError, type HostPort, hostPortVariable, parseEnv } from '@meshviz/runtime';
import { z } from 'zod';
import {
  cidrList,
  DEFAULT_OPAQUE_PORTS,
  portList,
  positiveInt,
  probePaths,
  type RateLimit,
  rateLimit,
  routeTableJson,
  type TcpTarget,
  tcpTargets,
  type WorkloadRef,
  workloadRef,
} from './config-values.js';
import { parseDurationMs } from './duration.js';
import type { ProxyEnvName } from './env.js';

export { PROXY_ENV, type ProxyEnv, type ProxyEnvName } from './env.js';
export { ConfigError };

/**
 * The proxy's whole configuration, parsed once from the environment at startup. Nothing else reads process.env,
 * so every knob is listed here and in the README.
 */
export interface ProxyConfig {
  /**
   * explicit: the app addresses its outbound proxy itself and the inbound side forwards to the forward address.
   * transparent: iptables (meshviz-proxy-init) redirects the pod's traffic here, and each connection's original
   * destination decides where it goes (outbound: the service or pod it was sent to; inbound: the app's port).
   */
  interception: Interception;
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
  /** The control plane's destination service; undefined: discovery is the destinations file alone. */
  destinationService: DestinationServiceConfig | undefined;
  /** How long an outbound request waits for the destination stream's first table (stream without file). */
  destinationInitialWaitMs: number;
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
  /** HTTP/2 to endpoints through the proxy's own client framing (src/h2) instead of Node's http2 client. */
  h2Fast: boolean;
  /** HTTP/2 clients served by the proxy's own server sessions (src/h2) instead of Node's http2 server. */
  h2ServerFast: boolean;
  /** Workload identity and mTLS; undefined: the proxy runs without identity (every connection plaintext). */
  identity: IdentityConfig | undefined;
  /** How long an inbound client may take to complete its TLS handshake. */
  tlsHandshakeTimeoutMs: number;
  /** App ports whose inbound traffic must be mutual TLS from a meshed client; plaintext is refused. */
  portsRequireIdentity: ReadonlySet<number>;
  /** Inbound authorization: where policies come from, and what applies without one. */
  policy: PolicyConfig;
}

export interface PolicyConfig {
  /** The control plane's policy service; undefined: no stream, the default policy applies at once. */
  service: PolicyServiceConfig | undefined;
  /** What applies to a port no policy covers, and before the first policy (`deny` fails closed). */
  defaultPolicy: DefaultPolicy;
  /** The app's probe paths: GET of them is allowed by the default policy, `deny` included. */
  probePaths: readonly string[];
  /** What the cluster-* default policies mean by "the cluster". */
  clusterNetworks: readonly string[];
  /** How long new inbound connections wait for the first policy before the default applies. */
  initialWaitMs: number;
  /**
   * The port the policy knows the app by (a container port), when it is not the forward address' own port: the
   * local runtime runs each replica's app on a free loopback port but names it 8080 in policy.
   */
  port: number | undefined;
}

export interface DestinationServiceConfig {
  addr: HostPort;
  /** The identity the destination service must present. */
  name: string;
}

export interface PolicyServiceConfig {
  addr: HostPort;
  /** The identity the policy service must present. */
  name: string;
  /** The workload whose policy this proxy asks for. */
  workload: WorkloadRef;
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

export const INTERCEPTIONS = ['explicit', 'transparent'] as const;
export type Interception = (typeof INTERCEPTIONS)[number];

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const hostPort = hostPortVariable({ allowZero: true });

/** Whether HTTP/2 to endpoints uses the proxy's own client framing unless PROXY_H2_FAST says otherwise. */
export const H2_FAST_DEFAULT: 'on' | 'off' = 'on';
/** Whether HTTP/2 clients are served by the proxy's own server framing unless PROXY_H2_SERVER_FAST says otherwise. */
export const H2_SERVER_FAST_DEFAULT: 'on' | 'off' = 'on';

function duration(opts: { allowZero: boolean }) {
  return z.string().transform((value, ctx): number => {
    const ms = parseDurationMs(value);
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message: 'must be a duration such as 500ms, 10s, 1m30s' });
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
  PROXY_INTERCEPTION: z.enum(INTERCEPTIONS, { error: `must be one of ${INTERCEPTIONS.join(', ')}` }).default('explicit'),
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
  PROXY_DESTINATION_SVC_ADDR: hostPort.optional(),
  PROXY_DESTINATION_SVC_NAME: z
    .string()
    .refine((name) => parseIdentityName(name) !== undefined, {
      message: 'must be an identity name such as destination.meshviz-system.serviceaccount.identity.meshviz.cluster.local',
    })
    .optional(),
  PROXY_DESTINATION_INITIAL_WAIT: duration({ allowZero: true }).prefault(`${POLICY_DEFAULTS.initialWaitMs}ms`),
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
  PROXY_H2_FAST: z.enum(['on', 'off'], { error: 'must be on or off' }).default(H2_FAST_DEFAULT),
  PROXY_H2_SERVER_FAST: z.enum(['on', 'off'], { error: 'must be on or off' }).default(H2_SERVER_FAST_DEFAULT),
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
  PROXY_POLICY_SVC_ADDR: hostPort.optional(),
  PROXY_POLICY_SVC_NAME: z
    .string()
    .refine((name) => parseIdentityName(name) !== undefined, {
      message: 'must be an identity name such as policy.meshviz-system.serviceaccount.identity.meshviz.cluster.local',
    })
    .optional(),
  PROXY_POLICY_WORKLOAD: workloadRef.optional(),
  PROXY_INBOUND_DEFAULT_POLICY: z.enum(DEFAULT_POLICIES, { error: `must be one of ${DEFAULT_POLICIES.join(', ')}` }).default(MESH_DEFAULT_POLICY),
  PROXY_INBOUND_PROBE_PATHS: probePaths.prefault(''),
  PROXY_CLUSTER_NETWORKS: cidrList.prefault(DEFAULT_CLUSTER_NETWORKS.join(',')),
  PROXY_POLICY_INITIAL_WAIT: duration({ allowZero: true }).prefault(`${POLICY_DEFAULTS.initialWaitMs}ms`),
  PROXY_INBOUND_POLICY_PORT: z.coerce
    .number({ error: 'must be a port number 1..65535' })
    .int({ error: 'must be a port number 1..65535' })
    .min(1, { error: 'must be a port number 1..65535' })
    .max(65535, { error: 'must be a port number 1..65535' })
    .optional(),
  PROXY_PARENT_PID: z
    .string()
    .regex(/^[1-9]\d*$/, 'must be a positive integer process id')
    .transform(Number)
    .optional(),
} satisfies Record<ProxyEnvName, z.ZodType>);

/**
 * Parses the environment. Empty variables count as unset (a blank line in an env file should not break startup).
 * Throws ConfigError (the runtime kit's) whose message names every bad variable and what is wrong with it.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ProxyConfig {
  const e = parseEnv(EnvSchema, env, { emptyIsUnset: true });
  return {
    interception: e.PROXY_INTERCEPTION,
    identity: identityConfig(e),
    tlsHandshakeTimeoutMs: e.PROXY_TLS_HANDSHAKE_TIMEOUT,
    portsRequireIdentity: requireIdentityPorts(e),
    policy: policyConfig(e),
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
    destinationService: destinationServiceConfig(e),
    destinationInitialWaitMs: e.PROXY_DESTINATION_INITIAL_WAIT,
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
    h2Fast: e.PROXY_H2_FAST === 'on',
    h2ServerFast: e.PROXY_H2_SERVER_FAST === 'on',
  };
}

/**
 * The policy stream is mutual TLS with the proxy's own certificate, so it needs identity, and the workload it asks
 * for must be of the proxy's namespace (the policy service refuses other namespaces' policies).
 */
function policyConfig(e: z.output<typeof EnvSchema>): PolicyConfig {
  const defaults = {
    defaultPolicy: e.PROXY_INBOUND_DEFAULT_POLICY,
    probePaths: e.PROXY_INBOUND_PROBE_PATHS,
    clusterNetworks: e.PROXY_CLUSTER_NETWORKS,
    initialWaitMs: e.PROXY_POLICY_INITIAL_WAIT,
    port: e.PROXY_INBOUND_POLICY_PORT,
  };
  const addr = e.PROXY_POLICY_SVC_ADDR;
  if (addr === undefined) {
    const stray = ['PROXY_POLICY_SVC_NAME', 'PROXY_POLICY_WORKLOAD'].filter((name) => e[name as keyof typeof e] !== undefined);
    if (stray.length > 0) {
      throw new ConfigError(stray[0]!, `${stray.join(', ')} is set but PROXY_POLICY_SVC_ADDR is not: set it too, or unset them`);
    }
    return { service: undefined, ...defaults };
  }
  const local = e.PROXY_IDENTITY_LOCAL_NAME === undefined ? undefined : parseIdentityName(e.PROXY_IDENTITY_LOCAL_NAME);
  if (!local) {
    throw new ConfigError(
      'PROXY_POLICY_SVC_ADDR',
      'PROXY_POLICY_SVC_ADDR needs identity (PROXY_IDENTITY_LOCAL_NAME): the policy stream is mutual TLS with the proxy certificate',
    );
  }
  const workload = e.PROXY_POLICY_WORKLOAD;
  if (workload === undefined) {
    throw new ConfigError('PROXY_POLICY_WORKLOAD', 'PROXY_POLICY_SVC_ADDR is set, so PROXY_POLICY_WORKLOAD (<namespace>/<workload>) must be set too');
  }
  if (workload.namespace !== local.namespace) {
    throw new ConfigError(
      'PROXY_POLICY_WORKLOAD',
      `PROXY_POLICY_WORKLOAD: namespace "${workload.namespace}" is not this proxy's (PROXY_IDENTITY_LOCAL_NAME is in "${local.namespace}")`,
    );
  }
  const name = e.PROXY_POLICY_SVC_NAME ?? identityName({ serviceAccount: 'policy', namespace: CONTROL_NAMESPACE, trustDomain: local.trustDomain });
  return { service: { addr, name, workload }, ...defaults };
}

/** The destination stream is mutual TLS with the proxy's own certificate, so it needs identity. */
function destinationServiceConfig(e: z.output<typeof EnvSchema>): DestinationServiceConfig | undefined {
  const addr = e.PROXY_DESTINATION_SVC_ADDR;
  if (addr === undefined) {
    if (e.PROXY_DESTINATION_SVC_NAME !== undefined) {
      throw new ConfigError(
        'PROXY_DESTINATION_SVC_NAME',
        'PROXY_DESTINATION_SVC_NAME is set but PROXY_DESTINATION_SVC_ADDR is not: set it too, or unset it',
      );
    }
    return undefined;
  }
  const local = e.PROXY_IDENTITY_LOCAL_NAME === undefined ? undefined : parseIdentityName(e.PROXY_IDENTITY_LOCAL_NAME);
  if (!local) {
    throw new ConfigError(
      'PROXY_DESTINATION_SVC_ADDR',
      'PROXY_DESTINATION_SVC_ADDR needs identity (PROXY_IDENTITY_LOCAL_NAME): the destination stream is mutual TLS with the proxy certificate',
    );
  }
  const name =
    e.PROXY_DESTINATION_SVC_NAME ?? identityName({ serviceAccount: 'destination', namespace: CONTROL_NAMESPACE, trustDomain: local.trustDomain });
  return { addr, name };
}

/** Ports that require identity make sense only with identity on: without it every client would be refused. */
function requireIdentityPorts(e: z.output<typeof EnvSchema>): ReadonlySet<number> {
  const ports = e.PROXY_INBOUND_PORTS_REQUIRE_IDENTITY;
  if (ports.size > 0 && e.PROXY_IDENTITY_LOCAL_NAME === undefined) {
    throw new ConfigError(
      'PROXY_INBOUND_PORTS_REQUIRE_IDENTITY',
      'PROXY_INBOUND_PORTS_REQUIRE_IDENTITY needs identity (PROXY_IDENTITY_LOCAL_NAME): without it no client could connect',
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
    throw new ConfigError('PROXY_IDENTITY_LOCAL_NAME', `PROXY_IDENTITY_LOCAL_NAME is set, so ${missing.join(', ')} must be set too`);
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
