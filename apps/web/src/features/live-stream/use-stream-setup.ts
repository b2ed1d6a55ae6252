'use client';

import { useMemo, useState } from 'react';
import { useTapToken } from '../../lib/use-tap-token';
import { useViewParams } from '../../lib/use-view-params';
import {
  describeFilters,
  type FilterProblems,
  filterProblems,
  filtersFromParams,
  filtersKey,
  setFilters,
  TAP_FILTER_KEYS,
  type TapFilters,
} from './stream-filters';
import { isRunning, type LiveQuery, type StreamStatus } from './use-event-stream';

/** Why Start cannot be pressed, or null: no token yet, or a filter the API would refuse. */
export function startBlocked(token: string | null, filters: TapFilters, problems: FilterProblems): string | null {
  if (token === null) return 'Paste the tap token above first.';
  if (filters.namespace === '') return 'Choose a namespace first.';
  const key = TAP_FILTER_KEYS.find((k) => problems[k] !== undefined);
  return key === undefined ? null : `The ${key.replace('_', ' ')} filter is not valid: ${problems[key]}`;
}

export interface StreamSetup {
  /** The URL's filters, as the form shows them. */
  filters: TapFilters;
  problems: FilterProblems;
  token: string | null;
  /** Why Start cannot be pressed now, or null. */
  blocked: string | null;
  /** The filters the stream started with, or the URL's before the first Start. */
  current: TapFilters;
  /** What is (or was last) listened to, in words ("workload web, path /books"). */
  subject: string;
  /** The stream runs, and the URL's filters changed since Start. */
  stale: boolean;
  /** Starts a stream with the URL's filters, if nothing blocks it. */
  start: () => void;
}

/**
 * What Tap and Top start from: the URL's filters, their problems, this tab's token and whether Start may go, and
 * Start itself, which remembers the filters it used. `open` opens the page's stream (tap or top) with the filters
 * that are set.
 */
export function useStreamSetup(status: StreamStatus, open: (query: LiveQuery, token: string) => void): StreamSetup {
  const { params } = useViewParams();
  const filters = useMemo(() => filtersFromParams(params), [params]);
  const problems = useMemo(() => filterProblems(filters), [filters]);
  const token = useTapToken();
  const [startedWith, setStartedWith] = useState<TapFilters | null>(null);
  const blocked = startBlocked(token, filters, problems);
  const current = startedWith ?? filters;

  function start() {
    if (token === null || blocked !== null) return;
    setStartedWith(filters);
    open(setFilters(filters), token);
  }

  return {
    filters,
    problems,
    token,
    blocked,
    current,
    subject: describeFilters(current),
    stale: isRunning(status) && startedWith !== null && filtersKey(startedWith) !== filtersKey(filters),
    start,
  };
}
