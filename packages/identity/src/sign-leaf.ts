import { IDENTITY_DEFAULTS, identityName, spiffeId, type WorkloadIdentity } from '@meshviz/mesh-types';
import { authorityKeyIdentifier, type CaMaterial } from './authority.js';
import { IdentityError } from './errors.js';
import { assertP256PublicKey, importSigningKey } from './keys.js';
import { assertWorkloadIdentity } from './names.js';
import { randomSerialNumber } from './serial.js';
import { EC_ALGORITHM, pemText, x509 } from './x509-lib.js';

export interface SignLeafOptions {
  /** The identity the caller was authenticated as; the CSR must name exactly this. */
  identity: WorkloadIdentity;
  /** Default: IDENTITY_DEFAULTS.leafLifetimeMs (24 h). */
  lifetimeMs?: number;
  /** notBefore is this far before now. Default: IDENTITY_DEFAULTS.clockSkewMs (20 s). */
  clockSkewMs?: number;
  now?: Date;
}

const SAN_OID = '2.5.29.17';

/**
 * Signs a workload's CSR with the issuer. The leaf's names come from `opts.identity`, never from the CSR, which
 * only has to agree: exactly one DNS SAN equal to the identity name, at most one URI SAN equal to its SPIFFE ID,
 * nothing else, a valid self-signature and a P-256 key. Anything else is refused with IDENTITY_INVALID_ARGUMENT.
 */
export async function signLeaf(
  issuer: CaMaterial,
  csrPem: string,
  opts: SignLeafOptions,
): Promise<{ certPem: string; validUntil: Date }> {
  assertWorkloadIdentity(opts.identity);
  const csr = await checkedCsr(csrPem, opts.identity);
  const issuerCert = new x509.X509Certificate(issuer.certPem);
  const signingKey = await importSigningKey(issuer.keyPem);

  const now = opts.now ?? new Date();
  const lifetimeMs = opts.lifetimeMs ?? IDENTITY_DEFAULTS.leafLifetimeMs;
  const clockSkewMs = opts.clockSkewMs ?? IDENTITY_DEFAULTS.clockSkewMs;
  if (!(lifetimeMs > 0)) throw new RangeError(`lifetimeMs must be positive (got ${lifetimeMs})`);
  if (!(clockSkewMs >= 0)) throw new RangeError(`clockSkewMs must not be negative (got ${clockSkewMs})`);
  const notBefore = new Date(now.getTime() - clockSkewMs);
  let notAfter = new Date(now.getTime() + lifetimeMs);
  // A leaf that outlived its issuer would be refused by every peer once the issuer expires.
  if (notAfter > issuerCert.notAfter) notAfter = issuerCert.notAfter;
  if (notAfter <= now) {
    throw new IdentityError('IDENTITY_UNAVAILABLE', `the issuer expired at ${issuerCert.notAfter.toISOString()}`);
  }

  const name = identityName(opts.identity);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    subject: `CN=${name}`,
    issuer: issuerCert.subjectName,
    notBefore,
    notAfter,
    publicKey: csr.publicKey,
    signingKey,
    signingAlgorithm: EC_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: name },
        { type: 'url', value: spiffeId(opts.identity) },
      ]),
      await x509.SubjectKeyIdentifierExtension.create(csr.publicKey),
      await authorityKeyIdentifier(issuerCert),
    ],
  });
  return { certPem: pemText(cert), validUntil: cert.notAfter };
}

async function checkedCsr(csrPem: string, identity: WorkloadIdentity): Promise<x509.Pkcs10CertificateRequest> {
  const invalid = (message: string, cause?: unknown) =>
    new IdentityError('IDENTITY_INVALID_ARGUMENT', message, cause === undefined ? undefined : { cause });
  if (!csrPem.includes('-----BEGIN CERTIFICATE REQUEST-----')) throw invalid('the CSR is not a PEM certificate request');

  let csr: x509.Pkcs10CertificateRequest;
  let names: x509.JsonGeneralNames;
  try {
    csr = new x509.Pkcs10CertificateRequest(csrPem);
    const sans = csr.extensions.filter((extension) => extension.type === SAN_OID);
    if (sans.length !== 1) throw invalid(`the CSR must have one subjectAltName extension (it has ${sans.length})`);
    names = new x509.SubjectAlternativeNameExtension(sans[0]!.rawData).names.toJSON();
  } catch (error) {
    if (error instanceof IdentityError) throw error;
    throw invalid(`the CSR cannot be parsed (${(error as Error).message})`, error);
  }

  try {
    assertP256PublicKey(csr.publicKey.rawData);
  } catch (error) {
    throw invalid(`the CSR's ${(error as Error).message}`, error);
  }
  if (!(await csr.verify().catch(() => false))) throw invalid("the CSR's signature does not verify with its own key");

  const expected = identityName(identity);
  const dns = names.filter((name) => name.type === 'dns').map((name) => name.value);
  const uris = names.filter((name) => name.type === 'url').map((name) => name.value);
  const others = names.filter((name) => name.type !== 'dns' && name.type !== 'url');
  if (dns.length !== 1) throw invalid(`the CSR must have exactly one DNS SAN, ${expected} (it has ${dns.length}: ${dns.join(', ')})`);
  if (dns[0] !== expected) throw invalid(`the CSR's DNS SAN ${dns[0]} is not the requested identity ${expected}`);
  if (uris.length > 1 || (uris.length === 1 && uris[0] !== spiffeId(identity))) {
    throw invalid(`the CSR's URI SANs (${uris.join(', ')}) must be nothing or ${spiffeId(identity)}`);
  }
  if (others.length > 0) throw invalid(`the CSR has SANs other than DNS and URI (${others.map((name) => name.type).join(', ')})`);
  return csr;
}
