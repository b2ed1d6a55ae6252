import type { KeyObject } from 'node:crypto';
import { IDENTITY_DEFAULTS } from '@meshviz/mesh-types';
import { parseCertificate } from './inspect.js';
import { exportPrivateKeyPem, generateKeyPair, importSigningKey, keyMatchesPublicKey, readPrivateKey } from './keys.js';
import { anchorCommonName, assertTrustDomain, issuerCommonName } from './names.js';
import { randomSerialNumber } from './serial.js';
import { EC_ALGORITHM, pemText, x509 } from './x509-lib.js';

/** A CA certificate and its private key, both PEM (the key PKCS#8). */
export interface CaMaterial {
  certPem: string;
  keyPem: string;
}

export interface CaOptions {
  trustDomain: string;
  /** Default: IDENTITY_DEFAULTS.caLifetimeMs (365 days). */
  lifetimeMs?: number;
  now?: Date;
}

const CA_KEY_USAGE = x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign;

/**
 * A self-signed root for the trust domain. Its path length is 1: it signs issuers, the issuers sign leaves.
 * notBefore is backdated by the clock-skew allowance so peers whose clocks lag accept a chain made a moment ago.
 */
export async function createTrustAnchor(opts: CaOptions): Promise<CaMaterial> {
  assertTrustDomain(opts.trustDomain);
  const { notBefore, notAfter } = validity(opts);
  const keys = await generateKeyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialNumber(),
    name: `CN=${anchorCommonName(opts.trustDomain)}`,
    notBefore,
    notAfter,
    keys,
    signingAlgorithm: EC_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(CA_KEY_USAGE, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: pemText(cert), keyPem: await exportPrivateKeyPem(keys.privateKey) };
}

/**
 * An intermediate CA (path length 0: it signs leaves only) signed by `anchor`. It never outlives the anchor: a
 * longer notAfter would only be refused by every verifier.
 */
export async function createIssuer(anchor: CaMaterial, opts: CaOptions): Promise<CaMaterial> {
  assertTrustDomain(opts.trustDomain);
  const anchorCert = new x509.X509Certificate(anchor.certPem);
  const signingKey = await importSigningKey(anchor.keyPem);
  const { notBefore, notAfter } = validity(opts, anchorCert.notAfter);
  const keys = await generateKeyPair();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    subject: `CN=${issuerCommonName(opts.trustDomain)}`,
    issuer: anchorCert.subjectName,
    notBefore,
    notAfter,
    publicKey: keys.publicKey,
    signingKey,
    signingAlgorithm: EC_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(CA_KEY_USAGE, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await authorityKeyIdentifier(anchorCert),
    ],
  });
  return { certPem: pemText(cert), keyPem: await exportPrivateKeyPem(keys.privateKey) };
}

/** The signer's own subject key identifier when it has one (users' CAs may compute it differently), else derived. */
export async function authorityKeyIdentifier(signer: x509.X509Certificate): Promise<x509.AuthorityKeyIdentifierExtension> {
  const ski = signer.getExtension(x509.SubjectKeyIdentifierExtension);
  if (ski) return new x509.AuthorityKeyIdentifierExtension(ski.keyId);
  return x509.AuthorityKeyIdentifierExtension.create(signer.publicKey);
}

function validity(opts: CaOptions, notAfterLimit?: Date): { notBefore: Date; notAfter: Date } {
  const lifetimeMs = opts.lifetimeMs ?? IDENTITY_DEFAULTS.caLifetimeMs;
  if (!Number.isFinite(lifetimeMs) || lifetimeMs <= 0) throw new RangeError(`lifetimeMs must be positive (got ${lifetimeMs})`);
  const now = opts.now ?? new Date();
  const notBefore = new Date(now.getTime() - IDENTITY_DEFAULTS.clockSkewMs);
  let notAfter = new Date(now.getTime() + lifetimeMs);
  if (notAfterLimit && notAfter > notAfterLimit) notAfter = notAfterLimit;
  return { notBefore, notAfter };
}

/** Why a CA's material cannot sign: `part` says whether the certificate or the key is at fault. */
export class CaMaterialError extends Error {
  override readonly name = 'CaMaterialError';
  constructor(
    readonly part: 'certificate' | 'key',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Throws a CaMaterialError, saying what is wrong, unless `ca` can sign certificates now: a CA certificate
 * (basicConstraints CA, keyCertSign when key usage is present) valid at `now`, and its P-256 key. For anchors
 * users bring themselves.
 */
export function checkCaMaterial(ca: { certPem: string; keyPem: string }, now: Date = new Date()): void {
  const refuse = (part: 'certificate' | 'key', message: string) => new CaMaterialError(part, message);
  let cert: x509.X509Certificate;
  try {
    cert = parseCertificate(ca.certPem);
  } catch (error) {
    throw refuse('certificate', (error as Error).message);
  }
  const name = `the certificate (${cert.subject})`;
  if (!cert.getExtension(x509.BasicConstraintsExtension)?.ca) throw refuse('certificate', `${name} is not a CA`);
  const usage = cert.getExtension(x509.KeyUsagesExtension);
  if (usage && (usage.usages & x509.KeyUsageFlags.keyCertSign) === 0) {
    throw refuse('certificate', `${name} may not sign certificates (no keyCertSign key usage)`);
  }
  if (now < cert.notBefore) throw refuse('certificate', `${name} is not valid before ${cert.notBefore.toISOString()}`);
  if (now > cert.notAfter) throw refuse('certificate', `${name} expired at ${cert.notAfter.toISOString()}`);
  let key: KeyObject;
  try {
    key = readPrivateKey(ca.keyPem);
  } catch (error) {
    throw refuse('key', (error as Error).message);
  }
  if (!keyMatchesPublicKey(key, cert.publicKey.rawData)) throw refuse('key', `the key is not the key of ${name}`);
}
