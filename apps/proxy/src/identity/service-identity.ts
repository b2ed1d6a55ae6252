import type { PeerCertificate } from 'node:tls';
import { certificateDnsNames } from '../tls/connect.js';

/**
 * `checkServerIdentity` for a control-plane service (identity, policy): its certificate, already verified against
 * the mesh's trust anchors, must carry `expected` among its DNS names. The error names both.
 */
export function expectServiceIdentity(service: string, expected: string): (host: string, cert: PeerCertificate) => Error | undefined {
  return (_host, cert) => {
    if (certificateDnsNames(cert).includes(expected)) return undefined;
    return new Error(`the ${service} presented "${cert.subjectaltname ?? ''}", expected ${expected}`);
  };
}
