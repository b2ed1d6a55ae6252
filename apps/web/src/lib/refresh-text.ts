import { formatDateTime } from './time-format';
import type { ViewParams } from './view-params';

/** How fresh the page is, in words for subtitles: "refreshes every 10 s", "as of 2025-01-31 13:05:00". */
export function refreshText(view: Pick<ViewParams, 'refresh' | 'time'>): string {
  if (view.time.kind === 'absolute') return `as of ${formatDateTime(view.time.to)}`;
  if (view.refresh === 'off') return 'refresh is off';
  return `refreshes every ${view.refresh.replace('s', ' s')}`;
}
