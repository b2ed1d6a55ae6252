import { type Direction, LABEL, type NoTlsReason, TLS_STATUS } from '@meshviz/mesh-types';
import type { Destination, HttpTarget } from './stage.js';

/**
 * Whether a connection is mutual TLS, and with whom: the peer's identity when it is, the reason from the closed
 * set of `no_tls_reason` values when it is not. Built once per connection or endpoint and shared, so labelling
 * costs no allocation per request.
 */
export type TlsStatus =
  | { readonly secured: true; readonly peerId: string; readonly key: string }
  | { readonly secured: false; readonly reason: NoTlsReason; readonly key: string };

const plain = new Map<NoTlsReason, TlsStatus>();

/** The shared status for a reason. */
export function noTls(reason: NoTlsReason): TlsStatus {
  let status = plain.get(reason);
  if (!status) {
    status = { secured: false, reason, key: `-${reason}` };
    plain.set(reason, status);
  }
  return status;
}

export function securedTls(peerId: string): TlsStatus {
  return { secured: true, peerId, key: `+${peerId}` };
}

/** The proxy runs without identity: every connection says so. */
export const TLS_DISABLED = noTls('disabled');

/**
 * Adds `tls` and either the peer identity (`client_id` inbound, `server_id` outbound) or `no_tls_reason`, as the
 * mesh's proxies label their request, response and tcp families.
 */
export function addTlsLabels(labels: Record<string, string>, direction: Direction, status: TlsStatus): void {
  if (status.secured) {
    labels[LABEL.tls] = TLS_STATUS.secured;
    labels[direction === 'inbound' ? LABEL.clientId : LABEL.serverId] = status.peerId;
  } else {
    labels[LABEL.tls] = TLS_STATUS.none;
    labels[LABEL.noTlsReason] = status.reason;
  }
}

const NOT_FROM_DISCOVERY = noTls('not_provided_by_service_discovery');

/**
 * The TLS of an exchange's hop, as metrics and tap report it: inbound, the client connection's; outbound, the
 * connection to the endpoint (a destination without TLS facts, e.g. before routing, had none from discovery).
 */
export function exchangeTls(target: HttpTarget, destination: Destination | undefined): TlsStatus {
  if (target.direction === 'inbound' || target.tls === TLS_DISABLED) return target.tls;
  return destination?.tls ?? NOT_FROM_DISCOVERY;
}
