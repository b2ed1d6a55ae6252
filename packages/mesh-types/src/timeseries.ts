import { z } from 'zod';
import { Dns1123Label, parseDurationSeconds } from './resources.js';
import { AtParam } from './stats.js';

export const MAX_POINTS = 300;

export const TimeseriesQuery = z.object({
  /** deployment or pod: that resource's inbound traffic; route: one route of the workload `name`. */
  kind: z.enum(['deployment', 'pod', 'route']).default('deployment'),
  namespace: Dns1123Label,
  name: z.string().regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, 'must be a workload or pod name'),
  /** With kind=route: the route name ("" for traffic no route matched). */
  route: z.string().max(253).optional(),
  /** How far back from `end`: 5m … 24h. */
  range: z
    .string()
    .refine((v) => parseDurationSeconds(v) !== null, 'must be a duration such as 5m, 1h or 24h')
    .refine((v) => {
      const s = parseDurationSeconds(v) ?? 0;
      return s >= 60 && s <= 7 * 24 * 3600;
    }, 'must be between 1m and 7d')
    .default('1h'),
  /** End of the range (RFC 3339 or unix seconds); absent means now. */
  end: AtParam.optional(),
});
export type TimeseriesQuery = z.infer<typeof TimeseriesQuery>;

/** [unix seconds, value]; a null value is a gap (no data), never a zero. */
export const Point = z.tuple([z.number(), z.number().nullable()]);
export type Point = z.infer<typeof Point>;

export const TimeseriesResponse = z.object({
  start: z.number(),
  end: z.number(),
  /** Seconds between points; chosen so that a series has at most MAX_POINTS points. */
  step: z.number(),
  /** Window of each point's rate(), in seconds (at least 4 scrape intervals and one step). */
  rateWindow: z.number(),
  series: z.object({
    rps: z.array(Point),
    successRate: z.array(Point),
    p50: z.array(Point),
    p95: z.array(Point),
    p99: z.array(Point),
  }),
});
export type TimeseriesResponse = z.infer<typeof TimeseriesResponse>;
