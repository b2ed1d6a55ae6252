import { identityName, spiffeId, type WorkloadIdentity } from '@meshviz/mesh-types';
import { exportPrivateKeyPem, generateKeyPair } from './keys.js';
import { assertWorkloadIdentity } from './names.js';
import { EC_ALGORITHM, pemText, x509 } from './x509-lib.js';

/**
 * A fresh P-256 key and a PKCS#10 request for `identity`: one DNS SAN (the identity name) and one URI SAN (the
 * SPIFFE ID). The key never leaves the caller; only the CSR goes to the identity service.
 */
export async function createCsr(identity: WorkloadIdentity): Promise<{ keyPem: string; csrPem: string }> {
  assertWorkloadIdentity(identity);
  const keys = await generateKeyPair();
  const name = identityName(identity);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: `CN=${name}`,
    keys,
    signingAlgorithm: EC_ALGORITHM,
    extensions: [
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: name },
        { type: 'url', value: spiffeId(identity) },
      ]),
    ],
  });
  return { keyPem: await exportPrivateKeyPem(keys.privateKey), csrPem: pemText(csr) };
}
