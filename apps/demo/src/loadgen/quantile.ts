/**
 * Exact quantile by nearest rank: the smallest sample with at least q of all samples at or below it. Always a
 * latency that really happened; null when there are no samples (no data is not 0 ms).
 */
export function nearestRankQuantile(sorted: Float64Array, q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}
