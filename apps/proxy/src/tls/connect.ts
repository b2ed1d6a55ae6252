import tls, { type TLSSocket } from 'node:tls';
import { certificateDnsNames } from '@meshviz/identity/certify-client';
import { parseIdentityName } from '@meshviz/mesh-types';
import type { HostPort } from '@meshviz/runtime';
import { ProxyError } from '../errors/proxy-error.js';
import type { LocalIdentity } from '../identity/local-identity.js';

/** The DNS names a peer certificate carries (its identity is the one DNS SAN); shared with the certify client. */
export { certificateDnsNames };

/**
 * Opens mutual TLS to a meshed endpoint: TLS 1.3, this proxy's certificate as the client's, the server's chain
 * checked against the mesh's trust anchors (the secure context's CA) and its identity against the one discovery
 * named. A valid chain for another identity fails with tls_identity_mismatch, naming both.
 */
export function connectTls(addr: HostPort, identity: LocalIdentity, serverId: string, alpn: string): TLSSocket {
  // Sessions are kept per identity and address: one is only ever offered to the endpoint (and identity) it was
  // made with, and resumption still ends in checkServerIdentity below.
  const endpoint = `${serverId} ${addr.host}:${addr.port}`;
  const socket = tls.connect({
    host: addr.host,
    port: addr.port,
    servername: serverId,
    secureContext: identity.clientContext(),
    session: identity.session(endpoint),
    ALPNProtocols: [alpn],
    minVersion: 'TLSv1.3',
    noDelay: true,
    allowHalfOpen: true,
    checkServerIdentity: (_host, cert) => {
      const names = certificateDnsNames(cert);
      if (names.length === 1 && names[0] === serverId) return undefined;
      const presented = names.find((name) => parseIdentityName(name)) ?? names.join(', ');
      return new ProxyError('tls_identity_mismatch', {
        message: `the endpoint presented identity "${presented || 'none'}", expected "${serverId}"`,
      });
    },
  } as tls.ConnectionOptions);
  // TLS 1.3 tickets arrive after the handshake, once the server identity was checked (`authorized`).
  socket.on('session', (session: Buffer) => {
    if (socket.authorized) identity.keepSession(endpoint, session);
  });
  return socket;
}
