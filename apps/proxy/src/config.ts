import { z } from 'zod';
import { parseDurationMs } from './duration.js';
import { type HostPort, parseHostPort } from './host-port.js';

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
  /** Validated now, bound by the tap server later. */
  tapListenAddr: HostPort;
  destinationsFile: string | undefined;
  logLevel: LogLevel;
  shutdownGracePeriodMs: number;
  metricsIdleTimeoutMs: number;
  headerTimeoutMs: number;
  upstreamConnectTimeoutMs: number;
  /** 0 disables the timeout. */
  responseTimeoutMs: number;
  parentPid: number | undefined;
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

const EnvSchema = z.object({
  PROXY_INBOUND_LISTEN_ADDR: hostPort.prefault('0.0.0.0:4143'),
  PROXY_INBOUND_FORWARD_ADDR: hostPort.prefault('127.0.0.1:8080'),
  PROXY_OUTBOUND_LISTEN_ADDR: hostPort.prefault('127.0.0.1:4140'),
  PROXY_ADMIN_LISTEN_ADDR: hostPort.prefault('0.0.0.0:4191'),
  PROXY_TAP_LISTEN_ADDR: hostPort.prefault('0.0.0.0:4190'),
  PROXY_DESTINATIONS_FILE: z.string().optional(),
  PROXY_LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  PROXY_SHUTDOWN_GRACE_PERIOD: duration({ allowZero: true }).prefault('30s'),
  PROXY_METRICS_IDLE_TIMEOUT: duration({ allowZero: false }).prefault('10m'),
  PROXY_HEADER_TIMEOUT: duration({ allowZero: false }).prefault('10s'),
  PROXY_UPSTREAM_CONNECT_TIMEOUT: duration({ allowZero: false }).prefault('1s'),
  PROXY_RESPONSE_TIMEOUT: duration({ allowZero: true }).prefault('10s'),
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
    inboundListenAddr: e.PROXY_INBOUND_LISTEN_ADDR,
    inboundForwardAddr: e.PROXY_INBOUND_FORWARD_ADDR,
    outboundListenAddr: e.PROXY_OUTBOUND_LISTEN_ADDR,
    adminListenAddr: e.PROXY_ADMIN_LISTEN_ADDR,
    tapListenAddr: e.PROXY_TAP_LISTEN_ADDR,
    destinationsFile: e.PROXY_DESTINATIONS_FILE,
    logLevel: e.PROXY_LOG_LEVEL,
    shutdownGracePeriodMs: e.PROXY_SHUTDOWN_GRACE_PERIOD,
    metricsIdleTimeoutMs: e.PROXY_METRICS_IDLE_TIMEOUT,
    headerTimeoutMs: e.PROXY_HEADER_TIMEOUT,
    upstreamConnectTimeoutMs: e.PROXY_UPSTREAM_CONNECT_TIMEOUT,
    responseTimeoutMs: e.PROXY_RESPONSE_TIMEOUT,
    parentPid: e.PROXY_PARENT_PID,
  };
}
