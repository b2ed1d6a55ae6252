import { z } from 'zod';
import { Dns1123Label } from './resources.js';

/** Headers never shown to anyone, whoever asks: redacted in the proxy before an event leaves it. */
export const ALWAYS_REDACTED_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie'] as const;
export const REDACTED_VALUE = '[redacted]';
export const MAX_TAP_RPS = 1000;

/** What to tap: a namespace and optionally one workload or pod, optionally only traffic towards a destination. */
export const TapQuery = z.object({
  namespace: Dns1123Label,
  workload: Dns1123Label.optional(),
  pod: z.string().regex(/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/, 'must be a pod name').optional(),
  direction: z.enum(['inbound', 'outbound']).optional(),
  to_namespace: Dns1123Label.optional(),
  to_workload: Dns1123Label.optional(),
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE']).optional(),
  path: z.string().startsWith('/', 'must start with /').max(1024).optional(),
  authority: z.string().max(253).regex(/^[A-Za-z0-9.:[\]-]+$/, 'must be a host or host:port').optional(),
  scheme: z.enum(['http', 'https']).optional(),
  /** Most requests per second over all tapped proxies together. */
  max_rps: z.coerce.number().int().min(1).max(MAX_TAP_RPS).default(100),
});
export type TapQuery = z.infer<typeof TapQuery>;

export const TapPeer = z.object({
  addr: z.string(),
  namespace: z.string(),
  deployment: z.string(),
  pod: z.string(),
  /** The mTLS identity this end proved on the hop; "" when the hop is not mutual TLS. */
  identity: z.string().optional(),
});
export type TapPeer = z.infer<typeof TapPeer>;

export const TapHeader = z.object({ name: z.string(), value: z.string() });

/** One part of one request, as the tap service streams it (JSON over SSE); `id` is unique across proxies. */
export const TapEvent = z.object({
  id: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  source: TapPeer,
  destination: TapPeer,
  /** The proxy that saw it. */
  proxy: z.object({ namespace: z.string(), deployment: z.string(), pod: z.string() }),
  /** The hop's TLS as the proxy labels it: "true" (mutual TLS) or "no_identity" with the reason; "" when unknown. */
  tls: z.string().optional(),
  noTlsReason: z.string().optional(),
  /**
   * Inbound only: what the policy decided. `server`/`route`/`authorization` as `kind/name` (authorization null when
   * nothing allowed it); `reason` says why a denied request was refused (e.g. "no authorization of server/payments-http
   * allows client ledger.billing.serviceaccount.identity.meshviz.cluster.local").
   */
  authz: z
    .object({
      denied: z.boolean(),
      server: z.string(),
      route: z.string(),
      authorization: z.string().nullable(),
      reason: z.string().optional(),
    })
    .optional(),
  requestInit: z
    .object({
      method: z.string(),
      scheme: z.string(),
      authority: z.string(),
      path: z.string(),
      headers: z.array(TapHeader),
      timestampMs: z.number(),
    })
    .optional(),
  responseInit: z
    .object({ status: z.number(), headers: z.array(TapHeader), sinceRequestInitMs: z.number() })
    .optional(),
  responseEnd: z
    .object({
      grpcStatus: z.number().nullable(),
      reset: z.string(),
      responseBytes: z.number(),
      sinceRequestInitMs: z.number(),
      sinceResponseInitMs: z.number(),
    })
    .optional(),
});
export type TapEvent = z.infer<typeof TapEvent>;

/** Sent when proxies dropped events because a reader was too slow; counts since the previous notice. */
export const TapDrops = z.object({ pod: z.string(), count: z.number() });
export type TapDrops = z.infer<typeof TapDrops>;

/** The first event of a tap or top stream: the proxies (`namespace/pod`) it reads from. */
export const TapStreamStart = z.object({ proxies: z.array(z.string()) });
export type TapStreamStart = z.infer<typeof TapStreamStart>;

/** One proxy's stream failed (the others go on): which pod, and why. */
export const TapUpstreamError = z.object({ pod: z.string(), message: z.string() });
export type TapUpstreamError = z.infer<typeof TapUpstreamError>;

/** One row of `top`: requests grouped by (source, destination, method, path). */
export const TopRow = z.object({
  source: z.string(),
  destination: z.string(),
  method: z.string(),
  path: z.string(),
  count: z.number(),
  successRate: z.number().nullable(),
  bestMs: z.number().nullable(),
  worstMs: z.number().nullable(),
  lastMs: z.number().nullable(),
});
export type TopRow = z.infer<typeof TopRow>;

export const TopSnapshot = z.object({ rows: z.array(TopRow), events: z.number(), drops: z.number() });
export type TopSnapshot = z.infer<typeof TopSnapshot>;
