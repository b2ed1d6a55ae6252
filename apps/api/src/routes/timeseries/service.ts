import {
  MAX_POINTS,
  parseDurationSeconds,
  parseInstant,
  type Point,
  type TimeseriesQuery,
  type TimeseriesResponse,
} from '@meshviz/mesh-types';
import {
  routeLatencyQuantile,
  routeRps,
  routeSuccessRps,
  statsLatencyQuantile,
  statsRps,
  statsSuccessRps,
} from '@meshviz/promql';
import type { PrometheusClient, Series } from '../../plugins/prometheus.js';
import { MIN_SCRAPES_PER_WINDOW } from '../window.js';

/** Five range queries per call: rps, success rps, p50, p95, p99. */
export const TIMESERIES_QUERY_COUNT = 5;

/** Step so that the range holds at most MAX_POINTS points, never finer than the scrape interval. */
export function chooseStep(rangeSeconds: number, scrapeSeconds: number): number {
  return Math.max(scrapeSeconds, Math.ceil(rangeSeconds / (MAX_POINTS - 1)));
}

/** Every step of the range, with null where Prometheus had no value: charts draw gaps, not zeros. */
function densify(series: Series | undefined, start: number, end: number, step: number): Point[] {
  const byTime = new Map((series?.values ?? []).map(([t, v]) => [t, Number.isFinite(v) ? v : null]));
  const points: Point[] = [];
  for (let t = start; t <= end; t += step) points.push([t, byTime.get(t) ?? null]);
  return points;
}

export async function getTimeseries(prom: PrometheusClient, q: TimeseriesQuery): Promise<TimeseriesResponse> {
  const scrape = await prom.scrapeIntervalSeconds();
  const rangeSeconds = parseDurationSeconds(q.range) ?? 3600;
  const step = chooseStep(rangeSeconds, scrape);
  const endMs = q.end === undefined ? Date.now() : (parseInstant(q.end) ?? Date.now());
  // Align to the step so that refreshes return the same points, and caches and charts line up.
  const end = Math.floor(endMs / 1000 / step) * step;
  const start = end - Math.floor(rangeSeconds / step) * step;
  const rateWindow = Math.max(step, scrape * MIN_SCRAPES_PER_WINDOW);
  const window = `${rateWindow}s`;
  const queries =
    q.kind === 'route'
      ? ((r) => [routeRps(r), routeSuccessRps(r), ...[0.5, 0.95, 0.99].map((x) => routeLatencyQuantile(r, x))])({
          namespace: q.namespace,
          workload: q.name,
          route: q.route ?? '',
          window,
        })
      : ((s) => [statsRps(s), statsSuccessRps(s), ...[0.5, 0.95, 0.99].map((x) => statsLatencyQuantile(s, x))])({
          groupBy: q.kind,
          namespace: q.namespace,
          name: q.name,
          window,
        });
  const run = (query: string) => prom.range(query, new Date(start * 1000), new Date(end * 1000), step);
  const [rps = [], ok = [], p50 = [], p95 = [], p99 = []] = await Promise.all(queries.map(run));
  const rpsPoints = densify(rps[0], start, end, step);
  const okPoints = densify(ok[0], start, end, step);
  // No responses in a point's window means no success rate there (a gap), not 0 % and not 100 %.
  const successRate: Point[] = rpsPoints.map(([t, total], i) => [
    t,
    total === null || total <= 0 ? null : Math.min(1, (okPoints[i]?.[1] ?? 0) / total),
  ]);
  return {
    start,
    end,
    step,
    rateWindow,
    series: {
      rps: rpsPoints,
      successRate,
      p50: densify(p50[0], start, end, step),
      p95: densify(p95[0], start, end, step),
      p99: densify(p99[0], start, end, step),
    },
  };
}
