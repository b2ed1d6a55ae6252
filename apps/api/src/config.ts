import { z } from 'zod';

/**
 * The API's whole configuration, parsed once from the environment. Nothing else reads process.env.
 *
 * | variable | default | meaning |
 * |---|---|---|
 * | API_LISTEN_ADDR | 127.0.0.1:8085 | host:port the API listens on (port 0 picks a free one) |
 * | API_PROMETHEUS_URL | http://127.0.0.1:9090 | base URL of Prometheus or any Prometheus-compatible query API |
 * | API_PROMETHEUS_TIMEOUT_MS | 10000 | timeout of one PromQL request |
 * | API_LOG_LEVEL | info | pino level |
 * | API_PARENT_PID | — | exit when this process is gone (used by `meshviz up`) |
 */
const HostPort = z.string().regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:8085');

const Env = z.object({
  API_LISTEN_ADDR: HostPort.default('127.0.0.1:8085'),
  API_PROMETHEUS_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).default('http://127.0.0.1:9090'),
  API_PROMETHEUS_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  API_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  API_PARENT_PID: z.coerce.number().int().positive().optional(),
});

export interface ApiConfig {
  listen: { host: string; port: number };
  prometheusUrl: string;
  prometheusTimeoutMs: number;
  logLevel: string;
  parentPid: number | undefined;
}

export class ConfigError extends Error {}

export function parseConfig(env: NodeJS.ProcessEnv): ApiConfig {
  const parsed = Env.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    throw new ConfigError(`${name}: ${issue?.message ?? 'invalid'} (got ${JSON.stringify(env[name] ?? null)})`);
  }
  const e = parsed.data;
  const idx = e.API_LISTEN_ADDR.lastIndexOf(':');
  return {
    listen: { host: e.API_LISTEN_ADDR.slice(0, idx), port: Number(e.API_LISTEN_ADDR.slice(idx + 1)) },
    prometheusUrl: e.API_PROMETHEUS_URL.replace(/\/+$/, ''),
    prometheusTimeoutMs: e.API_PROMETHEUS_TIMEOUT_MS,
    logLevel: e.API_LOG_LEVEL,
    parentPid: e.API_PARENT_PID,
  };
}
