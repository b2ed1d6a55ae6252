import {
  MAX_POINTS,
  type Point,
  parseDurationSeconds,
  parseInstant,
  type TimeseriesQuery,
  type TimeseriesResponse,
} from '@meshviz/mesh-types';
import { routeLatencyBuckets, routeResponseRates, statsLatencyBuckets, statsResponseRates } from '@meshviz/promql';
import type { PrometheusClient, Query, Series } from '../../prometheus/client.js';
import { type Bucket, parseUpperBound } from '../../rates/histogram-quantile.js';
import { latencyOf } from '../../rates/latency.js';
import { MIN_SCRAPES_PER_WINDOW } from '../window.js';

/** Two range queries per call: response rates by classification, and latency buckets (p50, p95, p99 come from them). */
export const TIMESERIES_QUERY_COUNT = 2;

/** Step so that the range holds at most MAX_POINTS points, never finer than the scrape interval. */
export function chooseStep(rangeSeconds: number, scrapeSeconds: number): number {
  return Math.max(scrapeSeconds, Math.ceil(rangeSeconds / (MAX_POINTS - 1)));
}

/** Per step: the sum of the series' values there, or absent when no series has one. */
function sumByTime(series: readonly Series[], pick: (s: Series) => boolean = () => true): Map<number, number> {
  const out = new Map<number, number>();
  for (const s of series) {
    if (!pick(s)) continue;
    for (const [t, v] of s.values) out.set(t, (out.get(t) ?? 0) + v);
  }
  return out;
}

/** Per step: the histogram of that moment, one bucket per `le` series. */
function bucketsByTime(series: readonly Series[]): Map<number, Bucket[]> {
  const out = new Map<number, Bucket[]>();
  for (const s of series) {
    const le = parseUpperBound(s.labels.le ?? '');
    if (le === null) continue;
    for (const [t, v] of s.values) {
      const list = out.get(t);
      if (list) list.push([le, v]);
      else out.set(t, [[le, v]]);
    }
  }
  return out;
}

export async function getTimeseries(prom: PrometheusClient, q: TimeseriesQuery): Promise<TimeseriesResponse> {
  const scrape = (await prom.scrapeInterval()).seconds;
  const rangeSeconds = parseDurationSeconds(q.range) ?? 3600;
  const step = chooseStep(rangeSeconds, scrape);
  const endMs = q.end === undefined ? Date.now() : (parseInstant(q.end) ?? Date.now());
  // Align to the step so that refreshes return the same points, and caches and charts line up.
  const end = Math.floor(endMs / 1000 / step) * step;
  const start = end - Math.floor(rangeSeconds / step) * step;
  const rateWindow = Math.max(step, scrape * MIN_SCRAPES_PER_WINDOW);
  const window = `${rateWindow}s`;
  const [ratesQuery, bucketsQuery] =
    q.kind === 'route'
      ? ((r) => [routeResponseRates(r, 'effective'), routeLatencyBuckets(r)])({
          namespace: q.namespace,
          workload: q.name,
          route: q.route ?? '',
          window,
        })
      : ((s) => [statsResponseRates(s), statsLatencyBuckets(s)])({
          groupBy: q.kind,
          namespace: q.namespace,
          name: q.name,
          window,
        });
  const run = (query: Query) => prom.range(query, new Date(start * 1000), new Date(end * 1000), step);
  const [rates, buckets] = await Promise.all([run(ratesQuery), run(bucketsQuery)]);
  const total = sumByTime(rates);
  const ok = sumByTime(rates, (s) => s.labels.classification === 'success');
  const histograms = bucketsByTime(buckets);

  // Every step of the range, with null where Prometheus had no value: charts draw gaps, not zeros.
  const series: TimeseriesResponse['series'] = { rps: [], successRate: [], p50: [], p95: [], p99: [] };
  for (let t = start; t <= end; t += step) {
    const rps = total.get(t);
    const live = rps !== undefined && Number.isFinite(rps) ? rps : null;
    series.rps.push([t, live]);
    // No responses in a point's window means no success rate there (a gap), not 0 % and not 100 %.
    series.successRate.push([t, live === null || live <= 0 ? null : Math.min(1, (ok.get(t) ?? 0) / live)]);
    const latency = latencyOf(histograms.get(t));
    series.p50.push([t, latency.p50] as Point);
    series.p95.push([t, latency.p95] as Point);
    series.p99.push([t, latency.p99] as Point);
  }
  return { start, end, step, rateWindow, series };
}
