import { parseDurationSeconds } from '@meshviz/mesh-types';
import { PrometheusDriver } from 'prometheus-query';
import type { PrometheusAuth } from '../config.js';
import { apiErrors } from '../errors.js';

/** One sample of an instant vector with its labels; `value` may be NaN (e.g. 0/0), which callers turn into null. */
export interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** One series of a range query: [unix seconds, value] pairs at the step the query asked for. */
export interface Series {
  labels: Record<string, string>;
  values: Array<[number, number]>;
}

export interface PrometheusClient {
  instant(query: string, at?: Date): Promise<Sample[]>;
  range(query: string, start: Date, end: Date, stepSeconds: number): Promise<Series[]>;
  /** Active scrape targets, as Prometheus reports them. */
  targets(): Promise<ActiveTarget[]>;
  /** Prometheus' version, or null for stores that do not report one. */
  version(): Promise<string | null>;
  /** The global scrape interval in seconds (read from Prometheus' config, cached). */
  scrapeIntervalSeconds(): Promise<number>;
}

export interface ActiveTarget {
  labels: Record<string, string>;
  scrapeUrl: string;
  health: string;
  lastScrape: Date | null;
  lastError: string;
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
    async range(query, start, end, stepSeconds) {
      try {
        const result = await driver.rangeQuery(query, start, end, stepSeconds);
        return (
          result.result as Array<{ metric: { labels: Record<string, string> }; values: Array<{ time: Date; value: number }> }>
        ).map((s) => ({
          labels: s.metric.labels,
          values: s.values.map((v) => [Math.round(v.time.getTime() / 1000), Number(v.value)] as [number, number]),
        }));
      } catch (err) {
        throw toApiError(err, query);
      }
    },
    async targets() {
      try {
        const { activeTargets } = (await driver.targets('active')) as unknown as {
          activeTargets: Array<{ labels: Record<string, string>; scrapeUrl: string; health: string; lastScrape: string | Date; lastError: string }>;
        };
        return activeTargets.map((t) => {
          const last = t.lastScrape ? new Date(t.lastScrape) : null;
          return {
            labels: t.labels,
            scrapeUrl: t.scrapeUrl,
            health: t.health,
            // Prometheus reports "0001-01-01" before the first scrape.
            lastScrape: last && last.getUTCFullYear() > 2000 ? last : null,
            lastError: t.lastError ?? '',
          };
        });
      } catch (err) {
        throw toApiError(err, 'targets');
      }
    },
    async version() {
      try {
        const info = (await driver.statusBuildinfo()) as unknown as { version?: string };
        return info.version ?? null;
      } catch (err) {
        const api = toApiError(err, 'buildinfo');
        if ((api as { status?: number }).status === 503) throw api;
        return null;
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
