/**
 * Prometheus' histogram_quantile for classic histograms, in the API: the stats, topology, detail and routes
 * endpoints fetch each histogram's buckets once (`sum by (le, …) (rate(…_bucket[w]))`) and take p50, p95 and p99
 * here, instead of asking Prometheus three times to rate every bucket series again. Same steps as Prometheus:
 * sort by upper bound, require a +Inf bucket, merge equal bounds, even out float noise between neighbouring
 * buckets (relative differences up to 1e-12, which summing can introduce; newer Prometheus versions do the same),
 * force monotonic counts, then interpolate linearly inside the bucket that holds the rank, with 0 as the lower
 * edge of the first bucket. Given the same bucket values it returns the same float as Prometheus.
 */

/** [upper bound, cumulative count] */
export type Bucket = [number, number];

const PRECISION_TOLERANCE = 1e-12;

/** Parses an `le` label value the way Prometheus does (Go's ParseFloat); null when it is not a number. */
export function parseUpperBound(le: string): number | null {
  if (/^[+-]?inf(inity)?$/i.test(le)) return le.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(le)) return null;
  return Number(le);
}

/** Go's sort.Search: the smallest i in [0, n) for which f(i) holds, or n. */
function search(n: number, f: (i: number) => boolean): number {
  let i = 0;
  let j = n;
  while (i < j) {
    const h = (i + j) >>> 1;
    if (!f(h)) i = h + 1;
    else j = h;
  }
  return i;
}

/** Sorted buckets with equal upper bounds added together. */
function coalesce(buckets: readonly Bucket[]): Bucket[] {
  const sorted = [...buckets].sort((a, b) => a[0] - b[0]);
  const out: Bucket[] = [];
  for (const [le, count] of sorted) {
    const last = out[out.length - 1];
    if (last && last[0] === le) last[1] += count;
    else out.push([le, count]);
  }
  return out;
}

function correctPrecisionErrors(b: Bucket[]): void {
  let prev = b[0]![1];
  for (let i = 1; i < b.length; i++) {
    const curr = b[i]![1];
    const delta = Math.abs(curr - prev);
    if (delta === 0) continue;
    if (delta / curr <= PRECISION_TOLERANCE) b[i]![1] = prev;
    else prev = curr;
  }
}

function ensureMonotonic(b: Bucket[]): void {
  let max = b[0]![1];
  for (let i = 1; i < b.length; i++) {
    if (b[i]![1] > max) max = b[i]![1];
    else if (b[i]![1] < max) b[i]![1] = max;
  }
}

/** The q-quantile of a histogram given as cumulative buckets; NaN when it has no observations or no +Inf bucket. */
export function bucketQuantile(q: number, buckets: readonly Bucket[]): number {
  if (Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  if (buckets.length === 0) return Number.NaN;
  const b = coalesce(buckets);
  if (b[b.length - 1]![0] !== Number.POSITIVE_INFINITY) return Number.NaN;
  correctPrecisionErrors(b);
  ensureMonotonic(b);
  if (b.length < 2) return Number.NaN;
  const observations = b[b.length - 1]![1];
  if (observations === 0) return Number.NaN;
  let rank = q * observations;
  const i = search(b.length - 1, (k) => b[k]![1] >= rank);
  if (i === b.length - 1) return b[b.length - 2]![0];
  if (i === 0 && b[0]![0] <= 0) return b[0]![0];
  let start = 0;
  const end = b[i]![0];
  let count = b[i]![1];
  if (i > 0) {
    start = b[i - 1]![0];
    count -= b[i - 1]![1];
    rank -= b[i - 1]![1];
  }
  return start + (end - start) * (rank / count);
}
