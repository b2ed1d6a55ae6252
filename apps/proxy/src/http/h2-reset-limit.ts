import type { Logger } from 'pino';

export interface ResetLimit {
  /** Client resets tolerated per window… */
  readonly count: number;
  /** …of this many milliseconds. */
  readonly windowMs: number;
}

/** A server session of either implementation (Node's, or the proxy's own), as far as the limit needs it. */
export interface CalmableSession {
  readonly destroyed: boolean;
  /** Ends the session with GOAWAY ENHANCE_YOUR_CALM. */
  calm(): void;
}

/**
 * Rapid reset (CVE-2023-44487): a client opens streams and resets them at once, so each costs the proxy an
 * upstream request while never counting against the concurrent-stream limit. Streams the client aborts before
 * their answer is complete are counted per session; past the limit the session is ended with GOAWAY
 * ENHANCE_YOUR_CALM. Honest clients cancel far less often than this (a gRPC deadline per call at worst).
 *
 * Returns the function to call once per aborted stream (the stage checks, when a stream closes, whether the client
 * reset it before its answer was complete), so no listener is added per stream.
 */
export function resetCounter(session: CalmableSession, limit: ResetLimit, log: Logger): () => void {
  let windowStart = performance.now();
  let resets = 0;
  return () => {
    const now = performance.now();
    if (now - windowStart > limit.windowMs) {
      windowStart = now;
      resets = 0;
    }
    resets += 1;
    if (resets <= limit.count || session.destroyed) return;
    log.warn({ resets, windowMs: limit.windowMs }, 'HTTP/2 client resets too many streams; closing the session');
    session.calm();
  };
}
