import type { TapEvent } from '@meshviz/mesh-types';
import { setFilters, type TapFilters } from '../live-stream/stream-filters';

export interface TapExport {
  fileName: string;
  json: string;
}

/**
 * The captured events as a JSON document: every part held on the page exactly as the API sent it (oldest request
 * first), with the filters and how many older requests had already left the page.
 */
export function tapExport(events: readonly TapEvent[], filters: TapFilters, evicted: number, now: Date): TapExport {
  const stamp = now.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
  const scope = [filters.namespace, filters.workload].filter(Boolean).join('-') || 'all';
  const document = {
    exportedAt: now.toISOString(),
    filters: setFilters(filters),
    droppedFromPage: evicted,
    events,
  };
  return { fileName: `meshviz-tap-${scope}-${stamp}.json`, json: `${JSON.stringify(document, null, 2)}\n` };
}

/** Has the browser save a text as a file. */
export function downloadText(fileName: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken the data by the next task; the URL is not needed after that.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
