import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type CaMaterial,
  CaMaterialError,
  type CertificateSummary,
  checkCaMaterial,
  createIssuer,
  createTrustAnchor,
  inspectCertificate,
  readTrustFiles,
  TRUST_FILES,
  writeTrustFiles,
} from '@meshviz/identity';
import { type CliEnv, meshvizHome } from '../config.js';

/** `<MESHVIZ_HOME>/identity`: where `meshviz identity init` writes and `meshviz up` looks. */
export const defaultIdentityDir = (env: Pick<CliEnv, 'MESHVIZ_HOME'>): string => path.join(meshvizHome(env), 'identity');

export interface InitOptions {
  dir: string;
  trustDomain: string;
  /** Replace files that already exist. */
  force?: boolean;
  /** The user's own anchor: only an issuer is made, and the anchor key is not copied into `dir`. */
  anchor?: CaMaterial;
}

export interface InitResult {
  /** Paths written, in the order written. */
  written: string[];
  anchor: CertificateSummary;
  issuer: CertificateSummary;
}

/** Files already in `dir` among the four trust files. */
export async function existingTrustFiles(dir: string): Promise<string[]> {
  const names = Object.values(TRUST_FILES);
  const present = await Promise.all(names.map((name) => exists(path.join(dir, name))));
  return names.filter((_, i) => present[i]).map((name) => path.join(dir, name));
}

/**
 * Writes a new anchor and issuer (or an issuer under the user's anchor) to `dir`. Refuses to replace existing
 * trust files unless `force`: proxies of a running mesh trust the anchor they were given, and a new one would cut
 * them off until they restart.
 */
export async function initTrustFiles(options: InitOptions): Promise<InitResult> {
  const existing = await existingTrustFiles(options.dir);
  if (existing.length > 0 && !options.force) {
    throw new Error(
      `${existing.join(', ')} already ${existing.length === 1 ? 'exists' : 'exist'}; pass --force to replace ` +
        '(proxies that trust the current anchor will refuse the new one until they restart)',
    );
  }
  const anchor = options.anchor ?? (await createTrustAnchor({ trustDomain: options.trustDomain }));
  const issuer = await createIssuer(anchor, { trustDomain: options.trustDomain });
  // A user's anchor key stays where the user keeps it; only an anchor made here is written with its key.
  await writeTrustFiles(options.dir, { anchor: options.anchor ? { certPem: anchor.certPem } : anchor, issuer });
  const names = options.anchor
    ? [TRUST_FILES.anchorCert, TRUST_FILES.issuerKey, TRUST_FILES.issuerCert]
    : [TRUST_FILES.anchorCert, TRUST_FILES.anchorKey, TRUST_FILES.issuerKey, TRUST_FILES.issuerCert];
  return {
    written: names.map((name) => path.join(options.dir, name)),
    anchor: inspectCertificate(anchor.certPem),
    issuer: inspectCertificate(issuer.certPem),
  };
}

/**
 * Makes sure `dir` holds usable trust files, for `meshviz up`: a good set is left alone; an empty directory gets
 * a new anchor and issuer; an anchor with its key (ca.crt + ca.key) and no issuer gets an issuer. Anything else,
 * a broken or partial set, is the user's to fix, so it is never overwritten: the error names the file.
 */
export async function ensureTrustFiles(dir: string, trustDomain: string): Promise<{ created: boolean }> {
  const existing = new Set((await existingTrustFiles(dir)).map((file) => path.basename(file)));
  if (existing.size === 0) {
    await initTrustFiles({ dir, trustDomain });
    return { created: true };
  }
  const anchorOnly =
    existing.has(TRUST_FILES.anchorCert) &&
    existing.has(TRUST_FILES.anchorKey) &&
    !existing.has(TRUST_FILES.issuerCert) &&
    !existing.has(TRUST_FILES.issuerKey);
  if (anchorOnly) {
    const anchor = await readAnchor(dir);
    const issuer = await createIssuer(anchor, { trustDomain });
    await writeTrustFiles(dir, { anchor, issuer });
    return { created: true };
  }
  try {
    await readTrustFiles(dir);
  } catch (error) {
    throw new Error(`${(error as Error).message}; fix or remove the trust files, or run \`meshviz identity init --force\``, { cause: error });
  }
  return { created: false };
}

/** The user's anchor from two PEM files, checked; errors name the file at fault. */
export async function readAnchorFiles(certFile: string, keyFile: string): Promise<CaMaterial> {
  const anchor = { certPem: await readText(certFile), keyPem: await readText(keyFile) };
  try {
    checkCaMaterial(anchor);
  } catch (error) {
    if (!(error instanceof CaMaterialError)) throw error;
    throw new Error(`${error.part === 'key' ? keyFile : certFile}: ${error.message}`, { cause: error });
  }
  return anchor;
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`${file}: ${code === 'ENOENT' ? 'missing' : `cannot be read (${code ?? (error as Error).message})`}`, { cause: error });
  }
}

async function readAnchor(dir: string): Promise<CaMaterial> {
  return readAnchorFiles(path.join(dir, TRUST_FILES.anchorCert), path.join(dir, TRUST_FILES.anchorKey));
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
