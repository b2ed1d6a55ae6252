import { parseDurationSeconds } from '@meshviz/mesh-types';
import { type GroupedQuery, promqlOf } from '@meshviz/promql';
import type { PrometheusAuth } from '../config.js';
import { ApiHttpError, apiErrors } from '../errors.js';
import {
  type ActiveTarget,
  dataOf,
  decodeMatrix,
  decodeStrings,
  decodeTargets,
  decodeVector,
  MalformedAnswer,
  type Sample,
  type Series,
} from './decode.js';

export type { ActiveTarget, Sample, Series } from './decode.js';

/** Where the scrape interval came from: API_SCRAPE_INTERVAL, the store's own configuration, or an assumption. */
export type ScrapeIntervalSource = 'configured' | 'prometheus' | 'assumed';

export interface ScrapeInterval {
  seconds: number;
  source: ScrapeIntervalSource;
}

export type Query = string | GroupedQuery;

export interface PrometheusClient {
  /** A query from packages/promql: its text, or a grouped query whose `by` names the labels of its answer. */
  instant(query: Query, at?: Date): Promise<Sample[]>;
  range(query: Query, start: Date, end: Date, stepSeconds: number): Promise<Series[]>;
  /** Active scrape targets, as Prometheus reports them. */
  targets(): Promise<ActiveTarget[]>;
  /** Every metric name the store holds series of (its index of `__name__`, no series read). */
  metricNames(): Promise<string[]>;
  /** Prometheus' version, or null for stores that do not report one. */
  version(): Promise<string | null>;
  /** The global scrape interval: configured, else read from the store's configuration (cached), else assumed. */
  scrapeInterval(): Promise<ScrapeInterval>;
}

export interface PrometheusOptions {
  url: string;
  timeoutMs: number;
  auth: PrometheusAuth;
  /** Known scrape interval (API_SCRAPE_INTERVAL); when absent it is read from /api/v1/status/config. */
  scrapeIntervalSeconds?: number | undefined;
}

/**
 * Assumed when the store does not serve /api/v1/status/config (Thanos, Mimir, VictoriaMetrics…) and
 * API_SCRAPE_INTERVAL is not set: Prometheus' own default. Windows are then not refused for being short.
 */
export const ASSUMED_SCRAPE_INTERVAL_SECONDS = 60;
/** How long a scrape interval read from the store is trusted before it is read again. */
const INTERVAL_TTL_MS = 60_000;

/** The first scrape_interval of Prometheus' rendered config is the global one. */
export function parseScrapeInterval(yaml: string): number | null {
  const m = /^\s*scrape_interval:\s*(\S+)/m.exec(yaml);
  return m?.[1] ? parseDurationSeconds(m[1]) : null;
}

function authHeader(auth: PrometheusAuth): Record<string, string> {
  if (auth.kind === 'bearer') return { authorization: `Bearer ${auth.token}` };
  if (auth.kind === 'basic') {
    return { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` };
  }
  return {};
}

/**
 * A small client of the Prometheus HTTP API (also served by Thanos, Mimir and VictoriaMetrics): queries go as
 * form-encoded POSTs, so long selectors never meet URL limits; answers are decoded by hand (decode.ts).
 * Errors become the API's catalogue: not reachable, timed out or overloaded (503 from the store) → 503; any
 * other failure → 502. The PromQL stays in `cause`, for the logs only.
 */
export function createPrometheusClient(o: PrometheusOptions): PrometheusClient {
  const base = `${o.url.replace(/\/+$/, '')}/api/v1`;
  // Uncompressed answers: gzipping a 10 MB answer costs Prometheus more time than sending it over a cluster network.
  const headers = { 'accept-encoding': 'identity', ...authHeader(o.auth) };
  let interval: { value: ScrapeInterval; at: number } | null = null;

  async function call(what: string, path: string, form?: Record<string, string>): Promise<unknown> {
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${base}${path}`, {
        method: form ? 'POST' : 'GET',
        headers: form ? { ...headers, 'content-type': 'application/x-www-form-urlencoded' } : headers,
        ...(form ? { body: new URLSearchParams(form).toString() } : {}),
        signal: AbortSignal.timeout(o.timeoutMs),
      });
      text = await res.text();
    } catch (err) {
      const kind = (err as Error).name === 'TimeoutError' ? `timed out after ${o.timeoutMs} ms` : 'unreachable';
      throw apiErrors.prometheusUnavailable(new Error(`prometheus ${kind}: ${what}`, { cause: err }));
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    const detail = (body ?? {}) as { errorType?: string; error?: string };
    if (!res.ok || detail.errorType !== undefined) {
      const err = new Error(
        `prometheus answered ${res.status} (${detail.errorType ?? 'no error type'}): ${detail.error ?? text.slice(0, 200)}`,
        { cause: { request: what } },
      );
      throw res.status === 503 ? apiErrors.prometheusUnavailable(err) : apiErrors.prometheusError(err);
    }
    return body;
  }

  function decode<T>(what: string, body: unknown, decoder: (b: unknown) => T): T {
    try {
      return decoder(body);
    } catch (err) {
      if (err instanceof MalformedAnswer) {
        throw apiErrors.prometheusError(new Error(`malformed answer to ${what}: ${err.message}`));
      }
      throw err;
    }
  }

  const seconds = (d: Date) => String(d.getTime() / 1000);

  return {
    async instant(q, at) {
      const query = promqlOf(q);
      const body = await call(query, '/query', { query, ...(at ? { time: seconds(at) } : {}) });
      return decode(query, body, decodeVector);
    },
    async range(q, start, end, stepSeconds) {
      const query = promqlOf(q);
      const body = await call(query, '/query_range', {
        query,
        start: seconds(start),
        end: seconds(end),
        step: String(stepSeconds),
      });
      return decode(query, body, decodeMatrix);
    },
    async targets() {
      return decode('targets', await call('targets', '/targets?state=active'), decodeTargets);
    },
    async metricNames() {
      return decode('metric names', await call('metric names', '/label/__name__/values'), decodeStrings);
    },
    async version() {
      try {
        const data = decode('buildinfo', await call('buildinfo', '/status/buildinfo'), dataOf);
        return typeof data.version === 'string' ? data.version : null;
      } catch (err) {
        if (err instanceof ApiHttpError && err.status === 503) throw err;
        // Stores that do not serve buildinfo still answer queries.
        return null;
      }
    },
    async scrapeInterval() {
      if (o.scrapeIntervalSeconds !== undefined) return { seconds: o.scrapeIntervalSeconds, source: 'configured' };
      if (interval && Date.now() - interval.at < INTERVAL_TTL_MS) return interval.value;
      let value: ScrapeInterval = { seconds: ASSUMED_SCRAPE_INTERVAL_SECONDS, source: 'assumed' };
      try {
        const data = decode('status/config', await call('status/config', '/status/config'), dataOf);
        const read = parseScrapeInterval(typeof data.yaml === 'string' ? data.yaml : '');
        if (read !== null && read > 0) value = { seconds: read, source: 'prometheus' };
      } catch (err) {
        if (err instanceof ApiHttpError && err.status === 503) throw err;
        // Thanos, Mimir, VictoriaMetrics and proxies in front of Prometheus may not serve the config: assume.
      }
      interval = { value, at: Date.now() };
      return value;
    },
  };
}
