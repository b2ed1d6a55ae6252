import { type KeyObject, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CaMaterial } from './authority.js';
import { parseCertificate, splitPemBundle } from './inspect.js';
import { keyMatchesPublicKey, readPrivateKey } from './keys.js';
import { verifyChain } from './verify-chain.js';
import { x509 } from './x509-lib.js';

/**
 * The files of a trust directory. ca.crt may hold several anchors (old and new during a rotation); ca.key is the
 * anchor's key, needed only to make a new issuer, so the identity service never reads it and users who keep their
 * anchor key elsewhere leave it out.
 */
export const TRUST_FILES = {
  anchorCert: 'ca.crt',
  anchorKey: 'ca.key',
  issuerCert: 'issuer.crt',
  issuerKey: 'issuer.key',
} as const;

/** A trust file that is missing or broken; `file` is its path, which the message starts with. */
export class TrustFilesError extends Error {
  override readonly name = 'TrustFilesError';
  constructor(
    readonly file: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${file}: ${problem}`, options);
  }
}

export interface TrustMaterial {
  /** The anchors, a PEM bundle of one or more certificates. */
  anchorsPem: string;
  issuer: CaMaterial;
}

/**
 * Writes the trust files: the directory 0700, keys 0600, each file to a temporary name then renamed over the old
 * one, so a reader polling the directory sees a whole old file or a whole new one, never half. The material is
 * checked first (issuer signed by an anchor, keys matching), so a broken set is never written. Without
 * `anchor.keyPem` no ca.key is written and a stale one from an earlier anchor is removed.
 */
export async function writeTrustFiles(
  dir: string,
  material: { anchor: { certPem: string; keyPem?: string }; issuer: CaMaterial },
): Promise<void> {
  const { anchor, issuer } = material;
  checkTrustMaterial(dir, { anchorsPem: anchor.certPem, issuer }, anchor.keyPem);

  const created = await mkdir(dir, { recursive: true, mode: 0o700 });
  if (created) await chmod(dir, 0o700);
  // Anchors first and the issuer certificate last: a reader between two renames sees new anchors beside the old
  // issuer (still valid while the old anchor stays in the bundle) or a key without its certificate (refused as a
  // mismatch, the last good issuer kept), never a certificate it would trust without its key.
  await replaceFile(join(dir, TRUST_FILES.anchorCert), anchor.certPem, 0o644);
  if (anchor.keyPem) await replaceFile(join(dir, TRUST_FILES.anchorKey), anchor.keyPem, 0o600);
  else await rm(join(dir, TRUST_FILES.anchorKey), { force: true });
  await replaceFile(join(dir, TRUST_FILES.issuerKey), issuer.keyPem, 0o600);
  await replaceFile(join(dir, TRUST_FILES.issuerCert), issuer.certPem, 0o644);
}

/**
 * Reads and checks the files the identity service needs (ca.crt, issuer.crt, issuer.key; never ca.key). Throws a
 * TrustFilesError naming the file that is missing or broken.
 */
export async function readTrustFiles(dir: string, now: Date = new Date()): Promise<TrustMaterial> {
  const read = await Promise.allSettled(
    [TRUST_FILES.anchorCert, TRUST_FILES.issuerCert, TRUST_FILES.issuerKey].map((name) => readTrustFile(join(dir, name))),
  );
  // The first missing or unreadable file in this fixed order is the one named, whichever read failed first.
  const failed = read.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  const [anchorsPem, certPem, keyPem] = read.map((r) => (r as PromiseFulfilledResult<string>).value);
  const material = { anchorsPem: anchorsPem!, issuer: { certPem: certPem!, keyPem: keyPem! } };
  checkTrustMaterial(dir, material, undefined, now);
  return material;
}

/**
 * Throws a TrustFilesError (paths under `dir`) unless: ca.crt holds at least one CA certificate, issuer.crt is one
 * CA certificate that chains to one of them and is valid at `now`, issuer.key is the issuer's P-256 key, and
 * `anchorKeyPem`, when given, is the key of one of the anchors.
 */
export function checkTrustMaterial(dir: string, material: TrustMaterial, anchorKeyPem?: string, now: Date = new Date()): void {
  const path = (name: string) => join(dir, name);
  const anchors = splitPemBundle(material.anchorsPem);
  if (anchors.length === 0) throw new TrustFilesError(path(TRUST_FILES.anchorCert), 'holds no PEM certificate');
  const anchorCerts = anchors.map((pem, i) => {
    const cert = parseOrThrow(path(TRUST_FILES.anchorCert), pem, anchors.length > 1 ? `certificate ${i + 1}: ` : '');
    if (!inspectIsCa(cert)) throw new TrustFilesError(path(TRUST_FILES.anchorCert), `${cert.subject} is not a CA certificate`);
    return cert;
  });

  const issuerCert = parseOrThrow(path(TRUST_FILES.issuerCert), material.issuer.certPem, '');
  if (!inspectIsCa(issuerCert)) throw new TrustFilesError(path(TRUST_FILES.issuerCert), `${issuerCert.subject} is not a CA certificate`);
  const chain = verifyChain(material.issuer.certPem, [], anchors, now);
  if (!chain.ok) {
    throw new TrustFilesError(path(TRUST_FILES.issuerCert), `does not chain to the anchors in ${TRUST_FILES.anchorCert}: ${chain.reason}`);
  }
  if (!keyMatches(path(TRUST_FILES.issuerKey), material.issuer.keyPem, [issuerCert])) {
    throw new TrustFilesError(path(TRUST_FILES.issuerKey), `is not the key of ${TRUST_FILES.issuerCert} (${issuerCert.subject})`);
  }
  if (anchorKeyPem !== undefined && !keyMatches(path(TRUST_FILES.anchorKey), anchorKeyPem, anchorCerts)) {
    throw new TrustFilesError(path(TRUST_FILES.anchorKey), `is not the key of any anchor in ${TRUST_FILES.anchorCert}`);
  }
}

async function readTrustFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new TrustFilesError(file, code === 'ENOENT' ? 'missing' : `cannot be read (${code ?? (error as Error).message})`, {
      cause: error,
    });
  }
}

function parseOrThrow(file: string, pem: string, prefix: string): x509.X509Certificate {
  try {
    return parseCertificate(pem);
  } catch (error) {
    throw new TrustFilesError(file, `${prefix}${(error as Error).message}`, { cause: error });
  }
}

function inspectIsCa(cert: x509.X509Certificate): boolean {
  return cert.getExtension(x509.BasicConstraintsExtension)?.ca === true;
}

function keyMatches(file: string, keyPem: string, certs: x509.X509Certificate[]): boolean {
  let key: KeyObject;
  try {
    key = readPrivateKey(keyPem);
  } catch (error) {
    throw new TrustFilesError(file, (error as Error).message, { cause: error });
  }
  return certs.some((cert) => keyMatchesPublicKey(key, cert.publicKey.rawData));
}

async function replaceFile(file: string, text: string, mode: number): Promise<void> {
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, text, { mode, flag: 'wx' });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw new TrustFilesError(file, `cannot be written (${(error as Error).message})`, { cause: error });
  }
}
