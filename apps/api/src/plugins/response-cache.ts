/**
 * Coalesces identical concurrent requests and keeps their answers for a short time (tied to the scrape interval:
 * Prometheus cannot have anything newer before the next scrape). Keys are normalised request URLs.
 */
export class ResponseCache {
  private readonly entries = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(
    private readonly ttlMs: () => number,
    private readonly maxEntries = 500,
  ) {}

  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs()) return hit.value as Promise<T>;
    const value = compute();
    this.entries.set(key, { at: now, value });
    // Failures are not kept: the next caller asks again.
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    if (this.entries.size > this.maxEntries) this.evict(now);
    return value;
  }

  private evict(now: number): void {
    for (const [k, e] of this.entries) if (now - e.at >= this.ttlMs()) this.entries.delete(k);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}

/** Stable cache key: path plus sorted query parameters. */
export function cacheKey(path: string, query: Record<string, unknown>): string {
  const params = Object.entries(query)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${String(v)}`);
  return `${path}?${params.join('&')}`;
}
