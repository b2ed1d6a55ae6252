import { exportPrivateKeyPem, generateKeyPair } from './keys.js';
import { randomSerialNumber } from './serial.js';
import { EC_ALGORITHM, pemText, x509 } from './x509-lib.js';

/** A serving certificate for a Kubernetes service (an admission webhook), with the CA that signed it. */
export interface ServingCertificate {
  /** The CA's certificate: what the API server is told to trust (a webhook's caBundle). */
  caPem: string;
  certPem: string;
  keyPem: string;
}

export interface ServingCertificateOptions {
  /** The names clients dial, e.g. `meshviz-proxy-injector.meshviz-system.svc`; the first is also the CN. */
  dnsNames: readonly string[];
  /** Default 365 days. */
  lifetimeMs?: number;
  now?: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const DNS_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * A P-256 CA of its own and a serverAuth leaf for `dnsNames`, both made here and apart from the mesh's trust
 * anchor: the API server trusts this CA for one webhook only, and no workload identity can be made from it.
 */
export async function createServingCertificate(opts: ServingCertificateOptions): Promise<ServingCertificate> {
  if (opts.dnsNames.length === 0) throw new RangeError('dnsNames must name at least one DNS name');
  for (const name of opts.dnsNames) {
    if (!DNS_NAME.test(name)) throw new RangeError(`"${name}" is not a lower-case DNS name`);
  }
  const lifetimeMs = opts.lifetimeMs ?? 365 * DAY_MS;
  if (!Number.isFinite(lifetimeMs) || lifetimeMs <= 0) throw new RangeError(`lifetimeMs must be positive (got ${lifetimeMs})`);
  const now = opts.now ?? new Date();
  // Backdated a minute, so an API server whose clock lags a little accepts a certificate made a moment ago.
  const notBefore = new Date(now.getTime() - 60_000);
  const notAfter = new Date(now.getTime() + lifetimeMs);
  const [commonName] = opts.dnsNames as [string, ...string[]];

  const caKeys = await generateKeyPair();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialNumber(),
    name: `CN=${commonName} CA`,
    notBefore,
    notAfter,
    keys: caKeys,
    signingAlgorithm: EC_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const leafKeys = await generateKeyPair();
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    subject: `CN=${commonName}`,
    issuer: ca.subjectName,
    notBefore,
    notAfter,
    publicKey: leafKeys.publicKey,
    signingKey: caKeys.privateKey,
    signingAlgorithm: EC_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(opts.dnsNames.map((value) => ({ type: 'dns' as const, value }))),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  return { caPem: pemText(ca), certPem: pemText(leaf), keyPem: await exportPrivateKeyPem(leafKeys.privateKey) };
}
