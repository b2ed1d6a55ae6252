import type { StatsRow } from '@meshviz/mesh-types';

/** The value that stands for every namespace, in the URL and in the API. */
export const ALL_NAMESPACES = 'all';

/** The namespace the URL asks for; a missing or empty parameter means all. */
export function namespaceFromParams(params: Pick<URLSearchParams, 'get'>): string {
  return params.get('namespace')?.trim() || ALL_NAMESPACES;
}

/** The URL for another namespace, keeping the other parameters; "all" is the default and drops the parameter. */
export function namespaceHref(pathname: string, params: URLSearchParams, namespace: string): string {
  const next = new URLSearchParams(params);
  if (namespace === ALL_NAMESPACES) next.delete('namespace');
  else next.set('namespace', namespace);
  const query = next.toString();
  return query ? `${pathname}?${query}` : pathname;
}

/** Sorted, distinct namespaces of the rows seen, plus the selected one so the selector can always show it. */
export function namespaceOptions(rowSets: ReadonlyArray<readonly StatsRow[] | undefined>, selected: string): string[] {
  const names = new Set<string>();
  for (const rows of rowSets) for (const row of rows ?? []) names.add(row.namespace);
  if (selected !== ALL_NAMESPACES) names.add(selected);
  return [...names].sort((a, b) => a.localeCompare(b));
}

/** Rows in a stable reading order: by namespace, then by name. */
export function sortRows(rows: readonly StatsRow[]): StatsRow[] {
  return [...rows].sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}
