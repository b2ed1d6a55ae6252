import type { LatencyMs } from '@meshviz/mesh-types';
import type { Sample } from '../prometheus/client.js';
import { type Bucket, bucketQuantile, parseUpperBound } from './histogram-quantile.js';

const measured = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** p50, p95 and p99 of one histogram; null where it has no observations. */
export function latencyOf(buckets: readonly Bucket[] | undefined): LatencyMs {
  if (!buckets || buckets.length === 0) return { p50: null, p95: null, p99: null };
  return {
    p50: measured(bucketQuantile(0.5, buckets)),
    p95: measured(bucketQuantile(0.95, buckets)),
    p99: measured(bucketQuantile(0.99, buckets)),
  };
}

/**
 * Buckets of `sum by (le, …)` samples, one histogram per key. Samples whose keys meet add up bucket by bucket
 * (used to fold edges into hops); a sample whose `le` is not a number is skipped, as histogram_quantile does.
 */
export class Histograms {
  private readonly byKey = new Map<string, Map<number, number>>();

  add(key: string, sample: Sample): void {
    const le = parseUpperBound(sample.labels.le ?? '');
    if (le === null) return;
    let buckets = this.byKey.get(key);
    if (!buckets) {
      buckets = new Map();
      this.byKey.set(key, buckets);
    }
    buckets.set(le, (buckets.get(le) ?? 0) + sample.value);
  }

  latency(key: string): LatencyMs {
    const buckets = this.byKey.get(key);
    return latencyOf(buckets ? [...buckets] : undefined);
  }
}

/** One histogram per key of the samples. */
export function histogramsBy(samples: readonly Sample[], keyOf: (labels: Record<string, string>) => string): Histograms {
  const h = new Histograms();
  for (const s of samples) h.add(keyOf(s.labels), s);
  return h;
}
