import { parseDurationSeconds } from '@meshviz/mesh-types';
import { PrometheusDriver } from 'prometheus-query';
import type { PrometheusAuth } from '../config.js';
import { apiErrors } from '../errors.js';

/** One sample of an instant vector with its labels; `value` may be NaN (e.g. 0/0), which callers turn into null. */
export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export interface PrometheusClient {
  instant(query: string, at?: Date): Promise<Sample[]>;
  /** The global scrape interval in seconds (read from Prometheus' config, cached). */
  scrapeIntervalSeconds(): Promise<number>;
}

export interface PrometheusOptions {
  url: string;
  timeoutMs: number;
  auth: PrometheusAuth;
  /** Known scrape interval; when absent it is read from /api/v1/status/config. */
  scrapeIntervalSeconds?: number | undefined;
}

interface DriverError {
  errorType?: string;
  error?: string;
}

/** Prometheus' own default, used when a Prometheus-compatible store does not expose its configuration. */
const DEFAULT_SCRAPE_INTERVAL_SECONDS = 60;

function toApiError(err: unknown, query: string): Error {
  const e = err as DriverError;
  const detail = new Error(`prometheus request failed (${e.errorType ?? 'unknown'}): ${e.error ?? String(err)}`, {
    cause: { query },
  });
  if (e.errorType === 'network_error' || e.errorType === 'timeout_error') return apiErrors.prometheusUnavailable(detail);
  return apiErrors.prometheusError(detail);
}

/** Wraps prometheus-query so the rest of the API sees plain samples and catalogued errors. */
export function createPrometheusClient(o: PrometheusOptions): PrometheusClient {
  const headers: Record<string, string> = o.auth.kind === 'bearer' ? { authorization: `Bearer ${o.auth.token}` } : {};
  const driver = new PrometheusDriver({
    endpoint: o.url,
    baseURL: '/api/v1',
    timeout: o.timeoutMs,
    headers,
    ...(o.auth.kind === 'basic' ? { auth: { username: o.auth.username, password: o.auth.password } } : {}),
  });
  let interval: { value: number; at: number } | null =
    o.scrapeIntervalSeconds !== undefined ? { value: o.scrapeIntervalSeconds, at: Number.POSITIVE_INFINITY } : null;

  return {
    async instant(query, at) {
      try {
        const result = await driver.instantQuery(query, at);
        return (result.result as Array<{ metric: { labels: Record<string, string> }; value: { value: number } }>).map(
          (s) => ({ labels: s.metric.labels, value: Number(s.value.value) }),
        );
      } catch (err) {
        throw toApiError(err, query);
      }
    },
    async scrapeIntervalSeconds() {
      if (interval && Date.now() - interval.at < 60_000) return interval.value;
      if (interval && interval.at === Number.POSITIVE_INFINITY) return interval.value;
      let value = DEFAULT_SCRAPE_INTERVAL_SECONDS;
      try {
        const { yaml } = (await driver.status()) as unknown as { yaml?: string };
        value = parseScrapeInterval(yaml ?? '') ?? value;
      } catch (err) {
        const api = toApiError(err, 'status/config');
        if ((api as { status?: number }).status === 503) throw api;
        // Thanos, Mimir and others may not serve the config endpoint: fall back to Prometheus' default.
      }
      interval = { value, at: Date.now() };
      return value;
    },
  };
}

/** The first scrape_interval of Prometheus' rendered config is the global one. */
export function parseScrapeInterval(yaml: string): number | null {
  const m = /^\s*scrape_interval:\s*(\S+)/m.exec(yaml);
  return m?.[1] ? parseDurationSeconds(m[1]) : null;
}
