import { identityName, parseIdentityName, type WorkloadIdentity } from '@meshviz/mesh-types';
import { IdentityError } from './errors.js';

const DNS_NAME_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * Throws unless `trustDomain` is a lower-case DNS name: it ends every identity name (a DNS SAN) and goes into
 * certificate subjects, so anything else would make names that TLS peers cannot match.
 */
export function assertTrustDomain(trustDomain: string): void {
  if (trustDomain.length > 253 || !DNS_NAME_RE.test(trustDomain)) {
    throw new IdentityError(
      'IDENTITY_INVALID_ARGUMENT',
      `trust domain ${JSON.stringify(trustDomain)} is not a lower-case DNS name such as cluster.local`,
    );
  }
}

/** Throws unless the identity's parts make a valid identity name. */
export function assertWorkloadIdentity(identity: WorkloadIdentity): void {
  assertTrustDomain(identity.trustDomain);
  const parsed = parseIdentityName(identityName(identity));
  if (parsed?.namespace !== identity.namespace || parsed.serviceAccount !== identity.serviceAccount) {
    throw new IdentityError(
      'IDENTITY_INVALID_ARGUMENT',
      `namespace ${JSON.stringify(identity.namespace)} and service account ${JSON.stringify(identity.serviceAccount)} must be DNS labels`,
    );
  }
}

/** Common name of the issuer (intermediate CA) of a trust domain. */
export function issuerCommonName(trustDomain: string): string {
  return `identity.meshviz.${trustDomain}`;
}

/** Common name of the trust anchor (root CA) of a trust domain. */
export function anchorCommonName(trustDomain: string): string {
  return `root.${issuerCommonName(trustDomain)}`;
}
