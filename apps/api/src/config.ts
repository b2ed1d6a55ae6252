import { parseDurationSeconds } from '@meshviz/mesh-types';
import { ConfigError, hostAllowListVariable, parseEnv } from '@meshviz/runtime';
import { z } from 'zod';
import type { ApiEnvName } from './env.js';
import { DEFAULT_ALLOWED_HOSTS } from './plugins/host-check.js';

/** Heap (V8 old generation, MB) of the worker computing the stats and topology answers, unless set otherwise. */
export const DEFAULT_ANSWER_HEAP_MB = 1024;
/** Below this the worker cannot hold even a small mesh's answers. */
const MIN_ANSWER_HEAP_MB = 64;
const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const HostPort = z.string().regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:8085');

/** The API's whole configuration, parsed once from the environment; the variables are listed in env.ts. */
const Env = z.object({
  API_LISTEN_ADDR: HostPort.default('127.0.0.1:8085'),
  API_PROMETHEUS_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).default('http://127.0.0.1:9090'),
  API_PROMETHEUS_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  API_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  API_PARENT_PID: z.coerce.number().int().positive().optional(),
  API_ALLOWED_HOSTS: hostAllowListVariable.default(DEFAULT_ALLOWED_HOSTS),
  API_PROMETHEUS_BEARER_TOKEN: z.string().min(1).optional(),
  API_PROMETHEUS_USERNAME: z.string().min(1).optional(),
  API_PROMETHEUS_PASSWORD: z.string().optional(),
  API_TAP_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  API_PROXY_TAP_TOKEN: z.string().min(1).optional(),
  API_TAP_TARGETS_FILE: z.string().min(1).optional(),
  API_TAP_PORT: z.coerce.number().int().min(1).max(65535).default(4190),
  API_TAP_SOURCE: z.enum(['file', 'prometheus', 'kubernetes']).optional(),
  API_KUBERNETES_API_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  API_KUBERNETES_TOKEN_FILE: z.string().min(1).default(`${SERVICE_ACCOUNT_DIR}/token`),
  API_KUBERNETES_CA_FILE: z.string().min(1).default(`${SERVICE_ACCOUNT_DIR}/ca.crt`),
  KUBERNETES_SERVICE_HOST: z.string().optional(),
  KUBERNETES_SERVICE_PORT: z.string().optional(),
  API_IDENTITY_TRUST_ANCHORS_FILE: z.string().min(1).optional(),
  API_IDENTITY_ISSUER_CERT_FILE: z.string().min(1).optional(),
  API_DESTINATIONS_FILE: z.string().min(1).optional(),
  API_ROLLOUTS_DIR: z.string().min(1).optional(),
  API_POD_STATUS_FILE: z.string().min(1).optional(),
  API_RECORDED_WINDOWS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const windows = (v ?? '')
        .split(',')
        .map((w) => w.trim())
        .filter((w) => w !== '');
      for (const w of windows) {
        if (!/^[0-9]+[smhdwy]$/.test(w) || (parseDurationSeconds(w) ?? 0) <= 0) {
          ctx.addIssue({ code: 'custom', message: `${JSON.stringify(w)} is not a window such as 1m (comma-separated)` });
        }
      }
      return windows;
    }),
  API_LIVE_REFRESH_INTERVAL: z
    .string()
    .refine((v) => v === 'off' || (parseDurationSeconds(v) ?? 0) > 0, 'must be a duration such as 5s, or off')
    .optional(),
  API_SCRAPE_INTERVAL: z
    .string()
    .refine((v) => (parseDurationSeconds(v) ?? 0) > 0, 'must be a duration such as 10s')
    .optional(),
  API_ANSWER_WORKER_HEAP_MB: z
    .string()
    .refine((v) => v === 'off' || (/^[0-9]+$/.test(v) && Number(v) >= MIN_ANSWER_HEAP_MB), `must be a number of megabytes (at least ${MIN_ANSWER_HEAP_MB}), or off`)
    .default(String(DEFAULT_ANSWER_HEAP_MB))
    .transform((v) => (v === 'off' ? ('off' as const) : Number(v))),
} satisfies Record<ApiEnvName | 'KUBERNETES_SERVICE_HOST' | 'KUBERNETES_SERVICE_PORT', z.ZodType>);

export interface ApiConfig {
  listen: { host: string; port: number };
  prometheusUrl: string;
  prometheusTimeoutMs: number;
  logLevel: string;
  parentPid: number | undefined;
  allowedHosts: RegExp;
  prometheusAuth: PrometheusAuth;
  /** Seconds; undefined means "ask Prometheus". */
  scrapeIntervalSeconds: number | undefined;
  tap: {
    clientToken: string | undefined;
    proxyToken: string;
    targetsFile: string | undefined;
    port: number;
    /** Where proxies are found; absent: the file when given, else Prometheus. */
    source?: 'file' | 'prometheus' | 'kubernetes';
    /** The Kubernetes API, for the `kubernetes` source. */
    kubernetes?: { apiUrl: string; tokenFile: string; caFile: string } | undefined;
  };
  /** The trust files `meshviz check` reads; undefined: identity is not checked. */
  trust?: { anchorsFile: string; issuerCertFile: string } | undefined;
  /** Rate windows the store records meshviz's sums for (recording rules); empty: raw series only. */
  recordedWindows?: string[];
  /** The discovery table with the configured outbound policy; undefined: configured fields are null, saying so. */
  destinationsFile?: string | undefined;
  /** The directory of rollout records; undefined: the rollouts endpoint answers none, saying it was given no source. */
  rolloutsDir?: string | undefined;
  /** The local runtime's restarts per pod; undefined: rows carry no restarts. */
  podStatusFile?: string | undefined;
  /** Seconds between refreshes of the live answers; undefined: the scrape interval; 'off': none are kept. */
  liveRefreshSeconds?: number | 'off' | undefined;
  /**
   * Heap limit (MB) of the worker thread computing the stats and topology answers; undefined: DEFAULT_ANSWER_HEAP_MB;
   * 'off': they are computed on the API's own thread.
   */
  answerWorkerHeapMb?: number | 'off' | undefined;
}

export type PrometheusAuth =
  | { kind: 'none' }
  | { kind: 'bearer'; token: string }
  | { kind: 'basic'; username: string; password: string };

export { API_ENV, type ApiEnv, type ApiEnvName } from './env.js';
export { ConfigError };

/** The API's configuration from this process' environment, for the entry point (server.ts). */
export const loadConfig = (): ApiConfig => parseConfig(process.env);

export function parseConfig(env: NodeJS.ProcessEnv): ApiConfig {
  const e = parseEnv(Env, env);
  const idx = e.API_LISTEN_ADDR.lastIndexOf(':');
  return {
    listen: { host: e.API_LISTEN_ADDR.slice(0, idx), port: Number(e.API_LISTEN_ADDR.slice(idx + 1)) },
    prometheusUrl: e.API_PROMETHEUS_URL.replace(/\/+$/, ''),
    prometheusTimeoutMs: e.API_PROMETHEUS_TIMEOUT_MS,
    logLevel: e.API_LOG_LEVEL,
    parentPid: e.API_PARENT_PID,
    allowedHosts: new RegExp(e.API_ALLOWED_HOSTS),
    prometheusAuth: e.API_PROMETHEUS_BEARER_TOKEN
      ? { kind: 'bearer', token: e.API_PROMETHEUS_BEARER_TOKEN }
      : e.API_PROMETHEUS_USERNAME
        ? { kind: 'basic', username: e.API_PROMETHEUS_USERNAME, password: e.API_PROMETHEUS_PASSWORD ?? '' }
        : { kind: 'none' },
    tap: {
      clientToken: e.API_TAP_TOKEN,
      proxyToken: e.API_PROXY_TAP_TOKEN ?? '',
      targetsFile: e.API_TAP_TARGETS_FILE,
      port: e.API_TAP_PORT,
      ...tapSource(e),
    },
    trust: trustFiles(e.API_IDENTITY_TRUST_ANCHORS_FILE, e.API_IDENTITY_ISSUER_CERT_FILE),
    destinationsFile: e.API_DESTINATIONS_FILE,
    rolloutsDir: e.API_ROLLOUTS_DIR,
    podStatusFile: e.API_POD_STATUS_FILE,
    recordedWindows: e.API_RECORDED_WINDOWS,
    liveRefreshSeconds:
      e.API_LIVE_REFRESH_INTERVAL === undefined || e.API_LIVE_REFRESH_INTERVAL === 'off'
        ? e.API_LIVE_REFRESH_INTERVAL
        : (parseDurationSeconds(e.API_LIVE_REFRESH_INTERVAL) ?? undefined),
    scrapeIntervalSeconds: e.API_SCRAPE_INTERVAL ? (parseDurationSeconds(e.API_SCRAPE_INTERVAL) ?? undefined) : undefined,
    answerWorkerHeapMb: e.API_ANSWER_WORKER_HEAP_MB,
  };
}

/** The tap source, checked: a file source needs the file, a Kubernetes one the API's address. */
function tapSource(e: z.infer<typeof Env>): Pick<ApiConfig['tap'], 'source' | 'kubernetes'> {
  const source = e.API_TAP_SOURCE ?? (e.API_TAP_TARGETS_FILE ? 'file' : 'prometheus');
  if (source === 'file' && !e.API_TAP_TARGETS_FILE) {
    throw new ConfigError('API_TAP_TARGETS_FILE', 'API_TAP_TARGETS_FILE: is required when API_TAP_SOURCE is file');
  }
  if (source !== 'kubernetes') return { source };
  const host = e.KUBERNETES_SERVICE_HOST;
  const port = e.KUBERNETES_SERVICE_PORT;
  if (!e.API_KUBERNETES_API_URL && !(host && port)) {
    throw new ConfigError(
      'API_KUBERNETES_API_URL',
      'API_KUBERNETES_API_URL: is required with API_TAP_SOURCE=kubernetes outside a pod (KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set)',
    );
  }
  const apiUrl = (e.API_KUBERNETES_API_URL ?? `https://${host!.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/+$/, '');
  return { source, kubernetes: { apiUrl, tokenFile: e.API_KUBERNETES_TOKEN_FILE, caFile: e.API_KUBERNETES_CA_FILE } };
}

/** Both trust files or neither: one alone is a mistake worth naming. */
function trustFiles(anchorsFile: string | undefined, issuerCertFile: string | undefined): ApiConfig['trust'] {
  if (anchorsFile && issuerCertFile) return { anchorsFile, issuerCertFile };
  if (!anchorsFile && !issuerCertFile) return undefined;
  const missing = anchorsFile ? 'API_IDENTITY_ISSUER_CERT_FILE' : 'API_IDENTITY_TRUST_ANCHORS_FILE';
  throw new ConfigError(missing, `${missing}: is required when the other API_IDENTITY_* file is set`);
}
