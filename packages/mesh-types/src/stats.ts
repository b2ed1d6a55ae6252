import { z } from 'zod';
import { Dns1123Label, parseDurationSeconds, ResourceKind } from './resources.js';

export const MIN_WINDOW_SECONDS = 30;
export const MAX_WINDOW_SECONDS = 24 * 3600;

export const WindowParam = z
  .string()
  .refine((v) => parseDurationSeconds(v) !== null, 'must be a duration such as 30s, 1m, 15m, 1h or 24h')
  .refine((v) => {
    const s = parseDurationSeconds(v) ?? 0;
    return s >= MIN_WINDOW_SECONDS && s <= MAX_WINDOW_SECONDS;
  }, 'must be between 30s and 24h');

export const NamespaceParam = z.union([z.literal('all'), Dns1123Label]);

/** A moment to look back at: RFC 3339 or unix seconds. Absent means now. */
export const AtParam = z
  .string()
  .refine((v) => parseInstant(v) !== null, 'must be an RFC 3339 time or unix seconds')
  .refine((v) => (parseInstant(v) ?? 0) <= Date.now() + 60_000, 'must not be in the future');

/** Parses an `at` value to epoch milliseconds; null when it is neither RFC 3339 nor unix seconds. */
export function parseInstant(v: string): number | null {
  if (/^\d{9,11}(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(v)) return null;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? null : ms;
}

export const StatsQuery = z.object({
  kind: ResourceKind.default('deployment'),
  namespace: NamespaceParam.default('all'),
  window: WindowParam.default('1m'),
  at: AtParam.optional(),
});
export type StatsQuery = z.infer<typeof StatsQuery>;

/** null means "no data in the window", which is different from 0. */
const Measured = z.number().nullable();

export const LatencyMs = z.object({ p50: Measured, p95: Measured, p99: Measured });
export type LatencyMs = z.infer<typeof LatencyMs>;

export const StatsRow = z.object({
  kind: ResourceKind,
  namespace: z.string(),
  name: z.string(),
  meshedPods: z.number().int().nonnegative(),
  /** Responses per second over the window (null when no response was seen). */
  rps: Measured,
  /** Fraction 0..1 of responses classified as success; null when there were none. */
  successRate: Measured,
  latencyMs: LatencyMs,
});
export type StatsRow = z.infer<typeof StatsRow>;

export const StatsResponse = z.object({
  window: z.string(),
  rows: z.array(StatsRow),
});
export type StatsResponse = z.infer<typeof StatsResponse>;
