/** The API's code for "Prometheus does not answer": the one failure every metrics page shares. */
export const PROMETHEUS_UNAVAILABLE = 'API_PROMETHEUS_UNAVAILABLE';

/**
 * While Prometheus is unreachable the failing queries are asked again this often, whatever the page's refresh
 * (even with refresh off): the data comes back within this long of Prometheus answering, inside one scrape interval
 * of `meshviz up`'s default 5 s. A stopped Prometheus costs the API a refused connection per ask.
 */
export const OUTAGE_RETRY_MS = 2_000;

/** How long "Prometheus answers again" stays on screen after an outage. */
export const RECOVERED_NOTICE_MS = 15_000;

/** An error the API gave because its Prometheus did not answer. */
export function isPrometheusOutage(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === PROMETHEUS_UNAVAILABLE;
}

/** What the outage logic needs of one query on screen. */
export interface QueryHealth {
  error: unknown;
  /** When its last error arrived (epoch ms; 0 if never). */
  errorUpdatedAt: number;
  /** When its data arrived (epoch ms; 0 if never), and whether it has any. */
  dataUpdatedAt: number;
  hasData: boolean;
  /** TanStack Query's status (no answer yet, failed, has data) and whether a request is under way. */
  status: 'pending' | 'error' | 'success';
  fetching: boolean;
}

export interface Outage {
  /** When the dashboard first heard of it (epoch ms): the first failed ask of this outage. */
  since: number;
  /** When the newest data still on screen arrived, or null when none arrived before it. */
  lastDataAt: number | null;
  /** The latest failed ask. */
  lastTriedAt: number;
  /** How many queries on screen wait for Prometheus. */
  queries: number;
}

/**
 * The outage the queries on screen show, or null when none fails for Prometheus. `since` is carried over from the
 * outage already shown, so later failures do not move it.
 */
export function currentOutage(queries: readonly QueryHealth[], previous: Outage | null): Outage | null {
  const failing = queries.filter((q) => isPrometheusOutage(q.error));
  if (failing.length === 0) return null;
  const firstError = Math.min(...failing.map((q) => q.errorUpdatedAt));
  const withData = failing.filter((q) => q.hasData);
  return {
    since: previous ? Math.min(previous.since, firstError) : firstError,
    lastDataAt: withData.length > 0 ? Math.max(...withData.map((q) => q.dataUpdatedAt)) : null,
    lastTriedAt: Math.max(...failing.map((q) => q.errorUpdatedAt)),
    queries: failing.length,
  };
}

/**
 * Whether the queries on screen, none of which fails for Prometheus any more, say the outage is over: one received
 * data since it began, or none waits for an answer. Nothing on screen (between two pages) or queries still asking
 * (a page just opened, or come back to) say nothing, so the outage keeps its start through page changes.
 */
export function outageOver(queries: readonly QueryHealth[], since: number): boolean {
  if (queries.some((q) => q.status === 'success' && q.dataUpdatedAt > since)) return true;
  return queries.length > 0 && !queries.some((q) => q.status === 'pending' || q.fetching);
}

/** Two outages that read the same on screen (no re-render for an unchanged one). */
export function sameOutage(a: Outage | null, b: Outage | null): boolean {
  if (a === null || b === null) return a === b;
  return a.since === b.since && a.lastDataAt === b.lastDataAt && a.lastTriedAt === b.lastTriedAt && a.queries === b.queries;
}
