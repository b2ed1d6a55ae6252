import type { Readable } from 'node:stream';
import type { Direction } from '@meshviz/mesh-types';
import type { Destination, HttpTarget, ProxyRequest } from '../core/stage.js';
import type { TlsStatus } from '../core/tls-status.js';
import { parseAuthority } from '../http/authority.js';
import type { ProxyIdentity, WirePeer } from './events.js';

/** The request line as tap shows it. */
export interface RequestView {
  readonly method: string;
  readonly scheme: string;
  readonly authority: string;
  /** Lower-case host without port, for the authority filter. */
  readonly authorityHost: string;
  readonly path: string;
}

const ABSOLUTE_FORM = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/i;

/**
 * Method, scheme, authority and path. Proxy-aware clients may send the absolute form (`http://host/path`); tap
 * splits it so path filters see a path. Everything else is plain HTTP until the proxy terminates TLS.
 */
export function requestView(target: HttpTarget, request: ProxyRequest): RequestView {
  const absolute = ABSOLUTE_FORM.exec(request.path);
  const authority = target.authority !== '' ? target.authority : (absolute?.[2] ?? '').toLowerCase();
  return {
    method: request.method,
    scheme: absolute ? (absolute[1] ?? 'http').toLowerCase() : 'http',
    authority,
    authorityHost: parseAuthority(authority)?.host ?? '',
    path: absolute ? absolute[3] || '/' : request.path,
  };
}

/**
 * Inbound: an unknown client calls this proxy's workload (the local app at targetAddr). Outbound: this proxy's
 * workload calls the endpoint discovery chose; unmeshed destinations and failures before routing have no metadata.
 */
export function peers(
  identity: ProxyIdentity,
  direction: Direction,
  client: string,
  destination: Destination | undefined,
  tls: TlsStatus,
): { source: WirePeer; destination: WirePeer } {
  const addr = destination?.targetAddr ?? '';
  const self = { namespace: identity.namespace, deployment: identity.deployment, pod: identity.pod };
  // Identities are the ones the hop's mTLS proved: this proxy's own and its peer's; none on a plaintext hop.
  const own = tls.secured ? (identity.identityName ?? '') : '';
  const peer = tls.secured ? tls.peerId : '';
  if (direction === 'inbound') {
    return {
      source: { addr: client, namespace: '', deployment: '', pod: '', identity: peer },
      destination: { addr, ...self, identity: own },
    };
  }
  const meta = destination?.meta;
  return {
    source: { addr: client, ...self, identity: own },
    destination: {
      addr,
      namespace: meta?.namespace ?? '',
      deployment: meta?.deployment ?? '',
      pod: meta?.pod ?? '',
      identity: peer,
    },
  };
}

/**
 * Counts body bytes as they flow to the client. A 'data' listener switches a stream to flowing mode, which before
 * the HTTP stage has piped the body would lose chunks; so it is added only once the consumer has resumed it.
 */
export function countBytes(body: Readable): { bytes: number } {
  const counter = { bytes: 0 };
  const onData = (chunk: { length: number }): void => {
    counter.bytes += chunk.length;
  };
  if (body.readableFlowing === true) body.on('data', onData);
  else body.once('resume', () => body.on('data', onData));
  return counter;
}
