import { TapQuery } from '@meshviz/mesh-types';

/**
 * What Tap and Top listen to, kept in the URL under the API's own parameter names, so a filtered view can be
 * bookmarked and the same query string goes to /api/v1/tap and /api/v1/top. Values are strings, "" when unset;
 * TapQuery (mesh-types) decides what is valid, here and in the API alike.
 */
export const TAP_FILTER_KEYS = [
  'namespace',
  'workload',
  'pod',
  'direction',
  'to_namespace',
  'to_workload',
  'method',
  'path',
  'authority',
  'scheme',
  'max_rps',
] as const satisfies readonly (keyof TapQuery)[];

export type TapFilterKey = (typeof TAP_FILTER_KEYS)[number];
export type TapFilters = Record<TapFilterKey, string>;
export type FilterProblems = Partial<Record<TapFilterKey, string>>;

export const EMPTY_FILTERS: TapFilters = Object.fromEntries(TAP_FILTER_KEYS.map((key) => [key, ''])) as TapFilters;

/** The rate the API applies when max_rps is left out. */
export const DEFAULT_MAX_RPS = TapQuery.parse({ namespace: 'default' }).max_rps;
export const METHOD_OPTIONS = TapQuery.shape.method.unwrap().options;
export const DIRECTION_OPTIONS = TapQuery.shape.direction.unwrap().options;
export const SCHEME_OPTIONS = TapQuery.shape.scheme.unwrap().options;

/** The filters a URL holds (trimmed; anything else in the URL is ignored). */
export function filtersFromParams(params: Pick<URLSearchParams, 'get'>): TapFilters {
  const filters = { ...EMPTY_FILTERS };
  for (const key of TAP_FILTER_KEYS) filters[key] = params.get(key)?.trim() ?? '';
  return filters;
}

/** URL updates for changed filters: an empty value leaves the URL. */
export function filterUpdates(filters: Partial<TapFilters>): Record<string, string | null> {
  const updates: Record<string, string | null> = {};
  for (const key of TAP_FILTER_KEYS) {
    const value = filters[key];
    if (value !== undefined) updates[key] = value.trim() === '' ? null : value.trim();
  }
  return updates;
}

/** Only the filters that are set, in the API's parameter order. */
export function setFilters(filters: TapFilters): Partial<TapFilters> {
  const set: Partial<TapFilters> = {};
  for (const key of TAP_FILTER_KEYS) if (filters[key] !== '') set[key] = filters[key];
  return set;
}

/**
 * The filters checked with the API's own schema: each problem under its parameter, so the form can mark the field
 * before anything is sent. A namespace not chosen yet is not reported here: it is no mistake, just a step still to
 * take (startBlocked says so).
 */
export function filterProblems(filters: TapFilters): FilterProblems {
  const problems: FilterProblems = {};
  const result = TapQuery.safeParse(setFilters(filters));
  if (result.success) return problems;
  for (const issue of result.error.issues) {
    const key = issue.path[0];
    if (typeof key !== 'string' || !(TAP_FILTER_KEYS as readonly string[]).includes(key)) continue;
    const field = key as TapFilterKey;
    if (field === 'namespace' && filters.namespace === '') continue;
    problems[field] ??= issue.message;
  }
  return problems;
}

/** A stable text of the filters, to tell whether a running stream still matches the form. */
export function filtersKey(filters: TapFilters): string {
  return new URLSearchParams(setFilters(filters)).toString();
}

const LABELS: Record<TapFilterKey, string> = {
  namespace: 'namespace',
  workload: 'workload',
  pod: 'pod',
  direction: 'direction',
  to_namespace: 'to namespace',
  to_workload: 'to workload',
  method: 'method',
  path: 'path prefix',
  authority: 'authority',
  scheme: 'scheme',
  max_rps: 'at most (rps)',
};

/** The filters in words, for empty states: "namespace bookshop, workload web, path prefix /books". */
export function describeFilters(filters: TapFilters): string {
  const parts = TAP_FILTER_KEYS.filter((key) => key !== 'max_rps' && filters[key] !== '').map((key) => `${LABELS[key]} ${filters[key]}`);
  return parts.length > 0 ? parts.join(', ') : 'any request';
}
