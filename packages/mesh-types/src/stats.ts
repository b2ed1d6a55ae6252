import { z } from 'zod';
import { Dns1123Label, parseDurationSeconds, RESOURCE_KINDS } from './resources.js';

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

/**
 * Kinds of stats rows: the resource kinds (grouped by their scrape-time label) and `service`, whose rows come from
 * the `dst_service` label of its callers' outbound series. Kept apart from ResourceKind, whose kinds each map to a
 * scrape-time label.
 */
export const STATS_KINDS = [...RESOURCE_KINDS, 'service'] as const;
export const StatsKind = z.enum(STATS_KINDS);
export type StatsKind = z.infer<typeof StatsKind>;

/**
 * Kinds a destination can be named by (`to_kind`, and `kind` with `from_*`): the dst_* labels the outbound proxies
 * put on their series (dst_deployment, dst_pod, dst_service, dst_namespace).
 */
export const DST_KINDS = ['deployment', 'pod', 'service', 'namespace'] as const;
export type DstKind = (typeof DST_KINDS)[number];
/** Kinds a source can be named by (`from_kind`): its scrape-time labels. A service sends no traffic of its own. */
export const SRC_KINDS = RESOURCE_KINDS;

const PAIRS = ['kind', 'name', 'namespace'] as const;

export const StatsQuery = z
  .object({
    kind: StatsKind.default('deployment'),
    namespace: NamespaceParam.default('all'),
    window: WindowParam.default('1m'),
    at: AtParam.optional(),
    to_kind: z
      .enum(DST_KINDS, { error: `must be one of ${DST_KINDS.join(', ')}: the kinds outbound proxies label destinations by` })
      .optional()
      .describe("Only the traffic of each row to this kind of destination (measured by the rows' outbound proxies)"),
    to_name: Dns1123Label.optional().describe('Name of the destination (needs to_kind); absent: every destination of to_kind'),
    to_namespace: Dns1123Label.optional().describe('Namespace of the destination (needs to_kind); absent: any namespace'),
    from_kind: z
      .enum(SRC_KINDS, { error: `must be one of ${SRC_KINDS.join(', ')} (a service sends no traffic of its own)` })
      .optional()
      .describe("Only the traffic each row received from this kind of source (measured by the source's outbound proxies)"),
    from_name: Dns1123Label.optional().describe('Name of the source (needs from_kind); absent: every source of from_kind'),
    from_namespace: Dns1123Label.optional().describe('Namespace of the source (needs from_kind); absent: any namespace'),
    tcp: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional()
      .describe('true: each row gains tcp { openConnections, readBytesPerSec, writeBytesPerSec }'),
  })
  .superRefine((q, ctx) => {
    const issue = (param: string, message: string) => ctx.addIssue({ code: 'custom', path: [param], message });
    const to = PAIRS.filter((p) => q[`to_${p}`] !== undefined);
    const from = PAIRS.filter((p) => q[`from_${p}`] !== undefined);
    if (to.length > 0 && from.length > 0) issue(`from_${from[0]}`, 'cannot be combined with to_* parameters: ask for one direction at a time');
    for (const [side, given] of [['to', to], ['from', from]] as const) {
      const kind = q[`${side}_kind`];
      for (const p of given) if (p !== 'kind' && kind === undefined) issue(`${side}_${p}`, `needs ${side}_kind`);
      if (kind === 'namespace' && q[`${side}_namespace`] !== undefined) {
        issue(`${side}_namespace`, `not allowed with ${side}_kind=namespace: ${side}_name names the namespace`);
      }
    }
    if (q.kind === 'service' && to.length > 0) {
      issue('to_kind', 'not allowed with kind=service: service rows are measured from their callers (use from_*)');
    }
    if (from.length > 0 && !(DST_KINDS as readonly string[]).includes(q.kind)) {
      issue('kind', `with from_* must be one of ${DST_KINDS.join(', ')}: the source's proxies name destinations only by these`);
    }
  });
export type StatsQuery = z.infer<typeof StatsQuery>;

/** null means "no data in the window", which is different from 0. */
const Measured = z.number().nullable();

export const LatencyMs = z.object({ p50: Measured, p95: Measured, p99: Measured });
export type LatencyMs = z.infer<typeof LatencyMs>;

/**
 * Transport figures of a row (`tcp=true`), from the measuring proxies' point of view: inbound connections
 * accepted from clients for workloads, pods and namespaces; outbound connections opened to the destination for
 * services and with to_* / from_*. null: no series (openConnections) or nothing moved in the window (bytes).
 */
export const TcpStats = z.object({
  /** Connections open at the evaluation time (a gauge: 0 is a measured value). */
  openConnections: Measured,
  /** Bytes per second the proxies read from the connections (requests inbound, responses outbound). */
  readBytesPerSec: Measured,
  /** Bytes per second the proxies wrote to the connections (responses inbound, requests outbound). */
  writeBytesPerSec: Measured,
});
export type TcpStats = z.infer<typeof TcpStats>;

export const StatsRow = z.object({
  kind: StatsKind,
  namespace: z.string(),
  name: z.string(),
  meshedPods: z.number().int().nonnegative(),
  /** Responses per second over the window (null when no response was seen). */
  rps: Measured,
  /** Fraction 0..1 of responses classified as success; null when there were none. */
  successRate: Measured,
  latencyMs: LatencyMs,
  /** Only with `tcp=true`. */
  tcp: TcpStats.optional(),
  /** Restarts of the row's pods' containers, where the runtime reports them (the local runtime does). */
  restarts: z.number().int().nonnegative().optional(),
});
export type StatsRow = z.infer<typeof StatsRow>;

/**
 * The instant (RFC 3339, milliseconds) every query of an answer was evaluated at: `at` when given; for a call
 * without `at`, the instant of the live answer the API computed last (at most one refresh interval plus one
 * computation before the call).
 */
export const AsOf = z.string();

export const StatsResponse = z.object({
  window: z.string(),
  rows: z.array(StatsRow),
  asOf: AsOf.optional(),
});
export type StatsResponse = z.infer<typeof StatsResponse>;
