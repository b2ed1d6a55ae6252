import { MAX_TAP_RPS } from '@meshviz/mesh-types';
import type { WireObserveRequest } from '@meshviz/mesh-types/tap-proto';
import { parseAuthority } from '../http/authority.js';
import type { WirePeer } from './events.js';

/** ObserveRequest as proto-loader decodes it; a client may leave out anything, so nothing is trusted. */
export type DecodedObserveRequest = Partial<WireObserveRequest>;

/** A validated Match: every non-empty field must hold. `authorityHost` is lower-case, without port. */
export interface TapFilter {
  readonly direction: string;
  readonly method: string;
  readonly pathPrefix: string;
  readonly authorityHost: string;
  readonly scheme: string;
  readonly dstNamespace: string;
  readonly dstDeployment: string;
  readonly dstPod: string;
}

/** What the filter is checked against, known once the exchange has a destination. */
export interface ExchangeFacts {
  readonly direction: string;
  readonly method: string;
  readonly scheme: string;
  /** Lower-case host of the request's authority, without port; "" when it had none or a malformed one. */
  readonly authorityHost: string;
  readonly path: string;
  readonly destination: WirePeer;
}

export type ParsedObserve = { ok: true; maxRps: number; filter: TapFilter } | { ok: false; message: string };

const DIRECTIONS = new Set(['', 'inbound', 'outbound']);
const SCHEMES = new Set(['', 'http', 'https']);

/** Validates a subscription; the message names the offending field as tap.proto spells it. */
export function parseObserveRequest(request: DecodedObserveRequest): ParsedObserve {
  const maxRps = request.maxRps ?? 0;
  if (!Number.isInteger(maxRps) || maxRps < 1 || maxRps > MAX_TAP_RPS) {
    return { ok: false, message: `max_rps must be an integer from 1 to ${MAX_TAP_RPS}, got ${maxRps}` };
  }
  const m = request.match ?? {};
  const direction = m.direction ?? '';
  if (!DIRECTIONS.has(direction)) {
    return { ok: false, message: `match.direction must be "inbound", "outbound" or empty, got "${direction}"` };
  }
  const scheme = (m.scheme ?? '').toLowerCase();
  if (!SCHEMES.has(scheme)) return { ok: false, message: `match.scheme must be "http", "https" or empty, got "${scheme}"` };
  const pathPrefix = m.pathPrefix ?? '';
  if (pathPrefix !== '' && !pathPrefix.startsWith('/')) {
    return { ok: false, message: `match.path_prefix must start with "/", got "${pathPrefix}"` };
  }
  const authority = m.authority ?? '';
  const parsedAuthority = authority === '' ? null : parseAuthority(authority);
  if (authority !== '' && !parsedAuthority) {
    return { ok: false, message: `match.authority must be a host or host:port, got "${authority}"` };
  }
  return {
    ok: true,
    maxRps,
    filter: {
      direction,
      method: m.method ?? '',
      pathPrefix,
      authorityHost: parsedAuthority?.host ?? '',
      scheme,
      dstNamespace: m.dstNamespace ?? '',
      dstDeployment: m.dstDeployment ?? '',
      dstPod: m.dstPod ?? '',
    },
  };
}

/** AND of every non-empty field. Method is compared exactly (HTTP methods are case-sensitive). */
export function matches(filter: TapFilter, facts: ExchangeFacts): boolean {
  const dst = facts.destination;
  return (
    (filter.direction === '' || filter.direction === facts.direction) &&
    (filter.method === '' || filter.method === facts.method) &&
    (filter.pathPrefix === '' || facts.path.startsWith(filter.pathPrefix)) &&
    (filter.authorityHost === '' || filter.authorityHost === facts.authorityHost) &&
    (filter.scheme === '' || filter.scheme === facts.scheme) &&
    (filter.dstNamespace === '' || filter.dstNamespace === dst.namespace) &&
    (filter.dstDeployment === '' || filter.dstDeployment === dst.deployment) &&
    (filter.dstPod === '' || filter.dstPod === dst.pod)
  );
}
