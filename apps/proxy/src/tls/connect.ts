import type { PeerCertificate } from 'node:tls';
import tls, { type TLSSocket } from 'node:tls';
import { parseIdentityName } from '@meshviz/mesh-types';
import type { HostPort } from '@meshviz/runtime';
import { ProxyError } from '../errors/proxy-error.js';
import type { LocalIdentity } from '../identity/local-identity.js';

/** The DNS names a peer certificate carries (its identity is the one DNS SAN). */
export function certificateDnsNames(cert: PeerCertificate | undefined): string[] {
  const san = cert?.subjectaltname ?? '';
  return san
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('DNS:'))
    .map((part) => part.slice(4));
}

/**
 * Opens mutual TLS to a meshed endpoint: TLS 1.3, this proxy's certificate as the client's, the server's chain
 * checked against the mesh's trust anchors (the secure context's CA) and its identity against the one discovery
 * named. A valid chain for another identity fails with tls_identity_mismatch, naming both.
 */
export function connectTls(addr: HostPort, identity: LocalIdentity, serverId: string, alpn: string): TLSSocket {
  return tls.connect({
    host: addr.host,
    port: addr.port,
    servername: serverId,
    secureContext: identity.clientContext(),
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
}
