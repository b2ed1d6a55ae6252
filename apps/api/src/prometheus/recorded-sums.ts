import { overRecordedSums, RECORDED_SUMS, recordedName } from '@meshviz/promql';
import type { FastifyBaseLogger } from 'fastify';
import type { PrometheusClient } from './client.js';

/** How long the store's answer to "are the recorded sums there?" is trusted before it is asked again. */
const PRESENCE_TTL_MS = 60_000;

/**
 * A client that answers sums of rates over the recorded sums (packages/promql recording-rules.ts) for the windows
 * the store records (API_RECORDED_WINDOWS), and over the raw series otherwise. Each window is used only while the
 * store's index names every recorded sum of it (`/api/v1/label/__name__/values`, which reads no series), asked at
 * most once a minute and in the background once known: a rule group that was never loaded falls back to the raw
 * series (with an error in the log) rather than answering nothing.
 */
export function overRecordedRates(inner: PrometheusClient, windows: readonly string[], log: FastifyBaseLogger): PrometheusClient {
  if (windows.length === 0) return inner;
  const presence = new Map<string, { at: number; present: Promise<boolean> }>();

  function check(window: string): Promise<boolean> {
    const names = RECORDED_SUMS.map((s) => recordedName(s, window));
    return inner.metricNames().then(
      (known) => {
        const have = new Set(known);
        const missing = names.filter((n) => !have.has(n));
        if (missing.length > 0) {
          log.error(
            { missing },
            `API_RECORDED_WINDOWS names ${window} but the store holds no ${missing.join(', ')}: load the rule group (meshviz-api-rules ${window} <interval>); ${window} is read from the raw series meanwhile`,
          );
        }
        return missing.length === 0;
      },
      // The store is down: the query itself will say so.
      () => false,
    );
  }

  /** The last answer at once (asking again in the background when it is old); the first one is waited for. */
  function present(window: string): Promise<boolean> {
    const hit = presence.get(window);
    if (hit && Date.now() - hit.at >= PRESENCE_TTL_MS) {
      const next = check(window);
      hit.at = Date.now();
      void next.then((v) => presence.set(window, { at: Date.now(), present: Promise.resolve(v) }));
    }
    if (hit) return hit.present;
    const first = check(window);
    presence.set(window, { at: Date.now(), present: first });
    return first;
  }

  const recorded = async (q: Parameters<PrometheusClient['instant']>[0]) => {
    if (typeof q === 'string' || !q.rateSum || !windows.includes(q.rateSum.window)) return q;
    return (await present(q.rateSum.window)) ? overRecordedSums(q, new Set([q.rateSum.window])) : q;
  };

  return {
    ...inner,
    instant: async (q, at) => inner.instant(await recorded(q), at),
    // A range query rates at every step; recorded sums exist only at the rule group's own instants.
    range: (q, start, end, step) => inner.range(q, start, end, step),
  };
}
