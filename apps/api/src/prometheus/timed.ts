import { promqlOf } from '@meshviz/promql';
import type { PrometheusClient } from './client.js';

export interface QueryTiming {
  query: string;
  ms: number;
  samples: number;
  /** The instant evaluated, epoch ms (undefined: the store's now); live answers' refreshes are told apart by it. */
  at?: number | undefined;
}

/**
 * A Prometheus client that tells `observe` the time of each query (request, answer and decoding in the API),
 * so the benchmark can say where an endpoint's time goes (the answer worker reports its own queries the same way).
 */
export function timedPrometheus(inner: PrometheusClient, observe: (t: QueryTiming) => void): PrometheusClient {
  const timed = async <T extends unknown[]>(query: string, run: () => Promise<T>, at?: Date): Promise<T> => {
    const t0 = performance.now();
    const result = await run();
    observe({ query, ms: performance.now() - t0, samples: result.length, at: at?.getTime() });
    return result;
  };
  return {
    instant: (query, at) => timed(promqlOf(query), () => inner.instant(query, at), at),
    range: (query, start, end, step) => timed(promqlOf(query), () => inner.range(query, start, end, step)),
    targets: () => inner.targets(),
    metricNames: () => inner.metricNames(),
    version: () => inner.version(),
    scrapeInterval: () => inner.scrapeInterval(),
  };
}
