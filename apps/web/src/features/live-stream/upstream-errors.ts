import type { TapUpstreamError } from '@meshviz/mesh-types';

/** A proxy's stream that failed while the others went on, and when the page heard of it (epoch ms). */
export interface UpstreamError extends TapUpstreamError {
  at: number;
}

/** Upstream errors listed on a page; the count of them goes on. */
const MAX_LISTED_ERRORS = 5;

/** The list with a new failure first, at most MAX_LISTED_ERRORS long. */
export function withUpstreamError(list: readonly UpstreamError[], error: TapUpstreamError, at: number): UpstreamError[] {
  return [{ ...error, at }, ...list].slice(0, MAX_LISTED_ERRORS);
}
