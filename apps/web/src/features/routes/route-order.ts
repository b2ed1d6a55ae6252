import type { RouteRow } from '@meshviz/mesh-types';

/** Routes by name, with the unmatched traffic ("") last. */
export function sortRoutes(rows: readonly RouteRow[]): RouteRow[] {
  return [...rows].sort((a, b) => {
    if (a.route === '' || b.route === '') return a.route === '' ? (b.route === '' ? 0 : 1) : -1;
    return a.route.localeCompare(b.route);
  });
}

/**
 * The route whose charts are shown: the one the URL names when it exists, else the busiest (ties by name);
 * null when there are no routes. "" (unmatched traffic) is a route like the others.
 */
export function chosenRoute(rows: readonly RouteRow[], requested: string | null): string | null {
  if (requested !== null && rows.some((row) => row.route === requested)) return requested;
  let best: RouteRow | undefined;
  for (const row of sortRoutes(rows)) if (best === undefined || (row.rps ?? -1) > (best.rps ?? -1)) best = row;
  return best?.route ?? null;
}
