import type { RefreshOption, ViewParams } from './view-params';

/** No query refreshes faster than this, whatever the URL asks for. */
export const MIN_REFRESH_MS = 5_000;

const REFRESH_MS: Record<RefreshOption, number | false> = { off: false, '5s': 5_000, '10s': 10_000, '30s': 30_000 };

/** The refresh interval in milliseconds, never below MIN_REFRESH_MS; false when refreshing is off. */
export function refreshMs(refresh: RefreshOption): number | false {
  const ms = REFRESH_MS[refresh];
  return ms === false ? false : Math.max(MIN_REFRESH_MS, ms);
}

/**
 * TanStack Query polling options for a view: the chosen interval while the time range moves with now, none for an
 * absolute range (its data does not change), and never while the tab is hidden.
 */
export function pollingOptions(view: Pick<ViewParams, 'refresh' | 'time'>) {
  return {
    refetchInterval: view.time.kind === 'relative' ? refreshMs(view.refresh) : false,
    refetchIntervalInBackground: false,
  } as const;
}
