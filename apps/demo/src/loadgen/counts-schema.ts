import { z } from 'zod';

/**
 * GET /counts on the load generator's admin server: what the load generator itself saw, the ground truth that
 * the mesh's metrics are checked against. Exported as `@meshviz/demo/counts` for tests in other packages.
 *
 * Requests are counted in the unix second in which their response completed; `from` is inclusive and `to`
 * exclusive, both unix seconds. A failure is a 5xx answer or a transport error (status key "error", which
 * includes the 10 s timeout). Latency of an answer runs from its request's last byte leaving to the response
 * headers arriving (what the proxies measure), of an error from sending to giving up, in milliseconds; quantiles are exact (nearest rank) over every sample in range, null when
 * there are none.
 */
export const LatencyQuantiles = z.object({
  p50: z.number().nonnegative().nullable(),
  p95: z.number().nonnegative().nullable(),
  p99: z.number().nonnegative().nullable(),
});
export type LatencyQuantiles = z.infer<typeof LatencyQuantiles>;

const Count = z.number().int().nonnegative();

export const TargetCounts = z.object({
  /** `<service>.<namespace>` as in the mesh file, e.g. `web.bookshop`. */
  service: z.string(),
  method: z.string(),
  path: z.string(),
  total: Count,
  failures: Count,
  /** Status code ("200", "502", …) or "error" → count; only statuses seen in range appear. */
  statuses: z.record(z.string().regex(/^(\d{3}|error)$/), Count),
  latencyMs: LatencyQuantiles,
});
export type TargetCounts = z.infer<typeof TargetCounts>;

export const CountsResponse = z.object({
  /** The range actually used, defaults filled in. */
  from: z.number().int().nonnegative(),
  to: z.number().int().nonnegative(),
  total: Count,
  failures: Count,
  /** Quantiles over every request in range, all targets together. */
  latencyMs: LatencyQuantiles,
  /** Every configured target, in configuration order, even those with no requests in range. */
  targets: z.array(TargetCounts),
});
export type CountsResponse = z.infer<typeof CountsResponse>;
