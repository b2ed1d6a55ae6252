import { z } from 'zod';
import { OutboundConfig } from './outbound.js';
import { RouteTable } from './route-spec.js';

/**
 * The local runtime's service discovery: what `meshviz up` writes and every outbound proxy reads
 * (PROXY_DESTINATIONS_FILE). Keys are authorities such as `catalog.bookshop.svc.cluster.local`; a port suffix
 * is optional and ignored when matching.
 */
export const Endpoint = z.object({
  /** host:port of the replica's inbound proxy. */
  addr: z.string().regex(/^[^:\s]+:\d{1,5}$/, 'must be host:port'),
  namespace: z.string(),
  deployment: z.string(),
  pod: z.string(),
  /**
   * The identity the endpoint's proxy presents (`<sa>.<ns>.serviceaccount.identity.meshviz.<trust-domain>`):
   * present means the endpoint is meshed, and callers' proxies open mutual TLS to it and check that name.
   */
  identity: z.string().min(1).optional(),
});
export type Endpoint = z.infer<typeof Endpoint>;

export const ServiceDestination = z.object({
  namespace: z.string(),
  service: z.string(),
  endpoints: z.array(Endpoint),
  /**
   * The service's virtual addresses (a Kubernetes Service's cluster IPs, the local runtime's service addresses).
   * With transparent interception a connection the app sent to one of them, on any port, goes to this service.
   */
  clusterIPs: z.array(z.ipv4().or(z.ipv6())).optional(),
  /** The service's route table, for the outbound route_* metrics of its callers (absent: every request is unmatched). */
  routes: RouteTable.optional(),
  /**
   * Routes with backends, timeouts, retries and faults, and the failure accrual of the service's endpoints, as the
   * destination service compiles them (outbound.ts); absent: one route to the service's own endpoints, the
   * proxy's own timeouts, `routes`' retries, no breaker.
   */
  outbound: OutboundConfig.optional(),
});
export type ServiceDestination = z.infer<typeof ServiceDestination>;

export const DestinationsFile = z.object({
  services: z.record(z.string(), ServiceDestination),
});
export type DestinationsFile = z.infer<typeof DestinationsFile>;

export const CLUSTER_DOMAIN = 'svc.cluster.local';

export function serviceAuthority(service: string, namespace: string): string {
  return `${service}.${namespace}.${CLUSTER_DOMAIN}`;
}

/**
 * The destination stream: `GET <DESTINATION_STREAM_PATH>` on the control plane's destination port (mutual TLS as
 * for the policy stream, server identity `destination.<CONTROL_NAMESPACE>…`). NDJSON: the whole discovery table
 * at once and after every change, heartbeats between. One table for every proxy keeps the local runtime simple;
 * a cluster-sized mesh would want per-authority streams (noted in apps/control's README).
 */
export const DESTINATION_STREAM_PATH = '/v1/destinations';
export const DestinationStreamMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('destinations'), revision: z.number().int().nonnegative(), destinations: DestinationsFile }),
  z.object({ type: z.literal('heartbeat') }),
]);
export type DestinationStreamMessage = z.infer<typeof DestinationStreamMessage>;

