'use client';

import { useMemo } from 'react';
import { useTapToken } from '../../lib/use-tap-token';
import { useViewParams } from '../../lib/use-view-params';
import { type FilterProblems, filterProblems, filtersFromParams, TAP_FILTER_KEYS, type TapFilters } from './tap-filters';

/** Why Start cannot be pressed, or null: no token yet, or a filter the API would refuse. */
export function startBlocked(token: string | null, filters: TapFilters, problems: FilterProblems): string | null {
  if (token === null) return 'Paste the tap token above first.';
  if (filters.namespace === '') return 'Choose a namespace first.';
  const key = TAP_FILTER_KEYS.find((k) => problems[k] !== undefined);
  return key === undefined ? null : `The ${key.replace('_', ' ')} filter is not valid: ${problems[key]}`;
}

/** What Tap and Top start from: the URL's filters, their problems, this tab's token, and whether Start may go. */
export function useStreamSetup(): { filters: TapFilters; problems: FilterProblems; token: string | null; blocked: string | null } {
  const { params } = useViewParams();
  const filters = useMemo(() => filtersFromParams(params), [params]);
  const problems = useMemo(() => filterProblems(filters), [filters]);
  const token = useTapToken();
  return { filters, problems, token, blocked: startBlocked(token, filters, problems) };
}
