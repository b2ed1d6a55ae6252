import { RoutesQuery } from '@meshviz/mesh-types';

/**
 * The view state every page shares, read from and written to the URL: the stats window, the charts' time range
 * (relative, or an absolute from/to) and the refresh interval. Pure functions; the React hook is use-view-params.ts.
 */

export const WINDOW_OPTIONS = ['1m', '5m', '15m', '1h'] as const;
export const RANGE_OPTIONS = ['5m', '15m', '1h', '6h', '24h'] as const;
export const REFRESH_OPTIONS = ['off', '5s', '10s', '30s'] as const;

export type WindowOption = (typeof WINDOW_OPTIONS)[number];
export type RangeOption = (typeof RANGE_OPTIONS)[number];
export type RefreshOption = (typeof REFRESH_OPTIONS)[number];

export const DEFAULT_WINDOW: WindowOption = '1m';
export const DEFAULT_RANGE: RangeOption = '1h';
export const DEFAULT_REFRESH: RefreshOption = '10s';

/** Parameters that follow the user from page to page (the header's links carry them). */
export const GLOBAL_PARAMS = ['window', 'range', 'from', 'to', 'refresh'] as const;

/** A relative range ends now and moves with each refresh; an absolute one (unix seconds) stays put. */
export type TimeRange = { kind: 'relative'; range: RangeOption } | { kind: 'absolute'; from: number; to: number };

export interface ViewParams {
  window: WindowOption;
  time: TimeRange;
  refresh: RefreshOption;
}

export const DEFAULT_VIEW: ViewParams = {
  window: DEFAULT_WINDOW,
  time: { kind: 'relative', range: DEFAULT_RANGE },
  refresh: DEFAULT_REFRESH,
};

/** Custom ranges the API accepts: at least a minute, at most a week. */
export const MIN_CUSTOM_RANGE_SECONDS = 60;
export const MAX_CUSTOM_RANGE_SECONDS = 7 * 24 * 3600;

type Params = Pick<URLSearchParams, 'get'>;

function pick<T extends string>(value: string | null, options: readonly T[], fallback: T): T {
  return options.includes(value as T) ? (value as T) : fallback;
}

function unixSeconds(value: string | null): number | null {
  if (value === null || !/^\d{9,11}$/.test(value)) return null;
  return Number(value);
}

/** Reads the shared view state; anything missing or malformed falls back to the defaults. */
export function parseViewParams(params: Params): ViewParams {
  const from = unixSeconds(params.get('from'));
  const to = unixSeconds(params.get('to'));
  const time: TimeRange =
    from !== null && to !== null && from < to
      ? { kind: 'absolute', from, to }
      : { kind: 'relative', range: pick(params.get('range'), RANGE_OPTIONS, DEFAULT_RANGE) };
  return {
    window: pick(params.get('window'), WINDOW_OPTIONS, DEFAULT_WINDOW),
    time,
    refresh: pick(params.get('refresh'), REFRESH_OPTIONS, DEFAULT_REFRESH),
  };
}

/** Whose routes /routes shows: a workload (what its own proxies answered) or a service (what its callers saw). */
export interface RoutesSubject {
  kind: 'workload' | 'service';
  namespace: string;
  name: string;
}

/**
 * What the routes page's URL asks for: nothing yet, a workload or a service, or something it cannot show (with the
 * parameter at fault and a sentence for the page).
 */
export type RoutesParams =
  | { kind: 'none' }
  | { kind: 'chosen'; subject: RoutesSubject }
  | { kind: 'invalid'; param: 'namespace' | 'workload' | 'service'; message: string };

/**
 * The address parameters naming a routes subject (what parseRoutesParams reads back); the other kind's is undefined,
 * which hrefWith removes from an address and the API client leaves out of a query.
 */
export function subjectParams(subject: RoutesSubject): { namespace: string; workload: string | undefined; service: string | undefined } {
  const { kind, namespace, name } = subject;
  return { namespace, workload: kind === 'workload' ? name : undefined, service: kind === 'service' ? name : undefined };
}

/**
 * Reads /routes?namespace=&workload= or ?namespace=&service=, checked with the API's own schema (RoutesQuery), so
 * a bad address is explained on the page instead of being sent. Values are trimmed; an empty one counts as absent.
 */
export function parseRoutesParams(params: Params): RoutesParams {
  const text = (key: string) => params.get(key)?.trim() ?? '';
  const namespace = text('namespace');
  const workload = text('workload');
  const service = text('service');
  if (workload !== '' && service !== '') {
    return {
      kind: 'invalid',
      param: 'service',
      message: `The address names both workload “${workload}” and service “${service}”: the page shows the routes of one at a time.`,
    };
  }
  const kind = service !== '' ? 'service' : 'workload';
  const name = service !== '' ? service : workload;
  if (namespace !== '') {
    const problem = RoutesQuery.shape.namespace.safeParse(namespace).error?.issues[0]?.message;
    if (problem !== undefined) return { kind: 'invalid', param: 'namespace', message: `Namespace “${namespace}” ${problem}.` };
  }
  if (name === '') return { kind: 'none' };
  const problem = RoutesQuery.shape[kind].safeParse(name).error?.issues[0]?.message;
  if (problem !== undefined) return { kind: 'invalid', param: kind, message: `The ${kind} name “${name}” ${problem}.` };
  if (namespace === '') {
    return { kind: 'invalid', param: 'namespace', message: `The address names ${kind} “${name}” but not its namespace.` };
  }
  return { kind: 'chosen', subject: { kind, namespace, name } };
}

/** The URL parameters that select a time range (the others are removed). */
export function timeRangeUpdates(time: TimeRange): Record<'range' | 'from' | 'to', string | null> {
  if (time.kind === 'absolute') return { range: null, from: String(time.from), to: String(time.to) };
  return { range: time.range === DEFAULT_RANGE ? null : time.range, from: null, to: null };
}

/**
 * The URL for the same path with some parameters changed: null or undefined removes one, any string (even "")
 * sets it. The other parameters stay in their order.
 */
export function hrefWith(
  pathname: string,
  params: URLSearchParams | string,
  updates: Readonly<Record<string, string | null | undefined>>,
): string {
  const next = new URLSearchParams(params);
  for (const [key, value] of Object.entries(updates)) {
    if (value === null || value === undefined) next.delete(key);
    else next.set(key, value);
  }
  const query = next.toString();
  return query ? `${pathname}?${query}` : pathname;
}

/** Only the parameters that travel between pages, for links from one page to another. */
export function globalParams(params: URLSearchParams | string): URLSearchParams {
  const from = new URLSearchParams(params);
  const kept = new URLSearchParams();
  for (const key of GLOBAL_PARAMS) {
    const value = from.get(key);
    if (value !== null) kept.set(key, value);
  }
  return kept;
}

const RANGE_SECONDS: Record<RangeOption, number> = { '5m': 300, '15m': 900, '1h': 3600, '6h': 21_600, '24h': 86_400 };

/** How many seconds the range spans. */
export function rangeSeconds(time: TimeRange): number {
  return time.kind === 'absolute' ? time.to - time.from : RANGE_SECONDS[time.range];
}

/** The timeseries API's range and end for a time range (no end means now). */
export function timeseriesRange(time: TimeRange): { range: string; end?: string } {
  if (time.kind === 'relative') return { range: time.range };
  return { range: `${time.to - time.from}s`, end: String(time.to) };
}

/** Stats, topology and detail look at the end of an absolute range; for a relative one, at now. */
export function statsAt(time: TimeRange): string | undefined {
  return time.kind === 'absolute' ? String(time.to) : undefined;
}

/** Why a custom range cannot be used, or null when it can. Times are epoch milliseconds. */
export function customRangeProblem(fromMs: number, toMs: number, nowMs: number): string | null {
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs)) return 'Enter both a start and an end time.';
  if (toMs > nowMs + 60_000) return 'The end cannot be in the future.';
  const seconds = (toMs - fromMs) / 1000;
  if (seconds <= 0) return 'The start must be before the end.';
  if (seconds < MIN_CUSTOM_RANGE_SECONDS) return 'The range must span at least a minute.';
  if (seconds > MAX_CUSTOM_RANGE_SECONDS) return 'The range can span at most 7 days.';
  return null;
}
