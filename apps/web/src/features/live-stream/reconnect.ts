import type { ApiRequestError } from '@meshviz/api-client';

/** Waits between attempts to reopen a stream that broke: 1 s, 2 s, 4 s, 8 s, then every 10 s until it answers. */
export const RECONNECT_BACKOFF = { initialMs: 1_000, maxMs: 10_000 } as const;

/** The wait before reconnect attempt `attempt` (1 for the first). */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(RECONNECT_BACKOFF.maxMs, RECONNECT_BACKOFF.initialMs * 2 ** Math.max(0, attempt - 1));
}

/**
 * Failures that asking again can mend: no answer or a stream cut off (status 0: the dashboard server or the API went
 * away), the dashboard server not reaching the API (502) or timing out (504). An answer of the API itself (a refused
 * token, a bad filter, tap disabled) will be the same next time.
 */
export function isTransient(error: ApiRequestError): boolean {
  return error.status === 0 || error.status === 502 || error.status === 504;
}

/** A stream that broke while it ran, and what the page is doing about it. */
export interface Reconnecting {
  /** When the stream broke (epoch ms): requests from then on are not being captured. */
  brokeAt: number;
  /** Why, in words: the failure's message, or that the API ended the stream. */
  cause: string;
  /** The failure's code, when there was one. */
  code: string | null;
  /** The attempt waited for or under way (1 for the first). */
  attempt: number;
  /** When that attempt starts (epoch ms), and the wait before it. */
  nextAt: number;
  delayMs: number;
  /** The attempt has started and waits for the API's answer. */
  trying: boolean;
}

/** A stream that broke and was opened again: what may be missing. */
export interface Reconnected {
  brokeAt: number;
  at: number;
  attempts: number;
}
