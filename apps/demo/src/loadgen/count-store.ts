import type { LoadTarget } from '@meshviz/mesh-types';
import type { CountsResponse, TargetCounts } from './counts-schema.js';
import { nearestRankQuantile } from './quantile.js';

/** Two hours of seconds; older buckets are dropped so memory stays bounded on a long-running demo. */
export const RETENTION_SECONDS = 2 * 60 * 60;

/** Transport errors and timeouts have no status code. */
export const ERROR_STATUS = 'error';

interface TargetBucket {
  statuses: Map<string, number>;
  latencies: number[];
}

/**
 * The load generator's own truth: per target and status, how many requests completed in each unix second, and
 * how long each took.
 */
export class CountStore {
  private readonly seconds = new Map<number, TargetBucket[]>();
  private lastPrunedSecond = 0;

  constructor(
    private readonly targets: readonly Pick<LoadTarget, 'service' | 'method' | 'path'>[],
    private readonly nowMs: () => number = Date.now,
  ) {}

  /** `status` is the HTTP status, or ERROR_STATUS; the second is taken from the clock at completion. */
  record(targetIndex: number, status: number | typeof ERROR_STATUS, latencyMs: number): void {
    const second = Math.floor(this.nowMs() / 1000);
    this.prune(second);
    let buckets = this.seconds.get(second);
    if (!buckets) {
      buckets = this.targets.map(() => ({ statuses: new Map(), latencies: [] }));
      this.seconds.set(second, buckets);
    }
    const bucket = buckets[targetIndex]!;
    const key = String(status);
    bucket.statuses.set(key, (bucket.statuses.get(key) ?? 0) + 1);
    bucket.latencies.push(latencyMs);
  }

  /** Counts for seconds in [from, to); defaults cover everything retained, including the current second. */
  query(range: { from?: number | undefined; to?: number | undefined } = {}): CountsResponse {
    const now = Math.floor(this.nowMs() / 1000);
    const from = range.from ?? now - RETENTION_SECONDS + 1;
    const to = range.to ?? now + 1;
    const merged = this.targets.map(() => ({ statuses: new Map<string, number>(), latencies: [] as number[] }));
    for (const [second, buckets] of this.seconds) {
      if (second < from || second >= to) continue;
      buckets.forEach((bucket, index) => {
        const into = merged[index]!;
        for (const [status, n] of bucket.statuses) into.statuses.set(status, (into.statuses.get(status) ?? 0) + n);
        for (const latency of bucket.latencies) into.latencies.push(latency);
      });
    }
    const targets = this.targets.map((target, index) => summarise(target, merged[index]!));
    return {
      from,
      to,
      total: targets.reduce((sum, t) => sum + t.total, 0),
      failures: targets.reduce((sum, t) => sum + t.failures, 0),
      latencyMs: quantiles(merged.flatMap((m) => m.latencies)),
      targets,
    };
  }

  // At most once per second: scanning a few thousand keys is cheaper than keeping them ordered.
  private prune(second: number): void {
    if (second === this.lastPrunedSecond) return;
    this.lastPrunedSecond = second;
    const oldest = second - RETENTION_SECONDS + 1;
    for (const key of this.seconds.keys()) if (key < oldest) this.seconds.delete(key);
  }
}

function summarise(target: Pick<LoadTarget, 'service' | 'method' | 'path'>, bucket: TargetBucket): TargetCounts {
  let total = 0;
  let failures = 0;
  const statuses: Record<string, number> = {};
  for (const [status, n] of [...bucket.statuses].sort(([a], [b]) => a.localeCompare(b))) {
    statuses[status] = n;
    total += n;
    if (isFailure(status)) failures += n;
  }
  return {
    service: target.service,
    method: target.method,
    path: target.path,
    total,
    failures,
    statuses,
    latencyMs: quantiles(bucket.latencies),
  };
}

function quantiles(latencies: number[]): TargetCounts['latencyMs'] {
  const sorted = Float64Array.from(latencies).sort();
  return {
    p50: nearestRankQuantile(sorted, 0.5),
    p95: nearestRankQuantile(sorted, 0.95),
    p99: nearestRankQuantile(sorted, 0.99),
  };
}

function isFailure(status: string): boolean {
  return status === ERROR_STATUS || status.startsWith('5');
}
