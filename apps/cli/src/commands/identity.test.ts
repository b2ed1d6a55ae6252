import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createIssuer, createTrustAnchor, inspectCertificate, readTrustFiles } from '@meshviz/identity';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseEnv } from '../config.js';
import { runIdentity } from './identity.js';
import { UsageError } from './usage-error.js';

const scratch: string[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(scratch.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});
async function home(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'meshviz-home-'));
  scratch.push(dir);
  return dir;
}

/** Runs `meshviz identity …` in-process with MESHVIZ_HOME set, keeping what it prints. */
async function identity(meshvizHome: string, ...argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    return { code: await runIdentity(argv, parseEnv({ MESHVIZ_HOME: meshvizHome })), out };
  } finally {
    vi.restoreAllMocks();
  }
}

describe('meshviz identity init', () => {
  it('writes to $MESHVIZ_HOME/identity and prints the files, the anchor fingerprint and expiry', async () => {
    const root = await home();
    const { code, out } = await identity(root, 'init', '--trust-domain', 'mesh.example');
    expect(code).toBe(0);
    const dir = path.join(root, 'identity');
    const anchor = inspectCertificate((await readTrustFiles(dir)).anchorsPem);
    for (const name of ['ca.crt', 'ca.key', 'issuer.crt', 'issuer.key']) expect(out).toContain(path.join(dir, name));
    expect(out).toContain(`Trust anchor  CN=root.identity.meshviz.mesh.example`);
    expect(out).toContain(`SHA-256 fingerprint  ${anchor.fingerprintSha256}`);
    expect(out).toContain(`expires              ${anchor.notAfter.toISOString()}`);
  });

  it('refuses existing files without --force and replaces them with it', async () => {
    const root = await home();
    await identity(root, 'init');
    await expect(identity(root, 'init')).rejects.toThrow(/already exist; pass --force/);
    expect((await identity(root, 'init', '--force')).code).toBe(0);
  });

  it("takes the user's own anchor from --anchor-cert and --anchor-key, and names a file that does not fit", async () => {
    const root = await home();
    const anchor = await createTrustAnchor({ trustDomain: 'cluster.local' });
    const other = await createTrustAnchor({ trustDomain: 'cluster.local' });
    const certFile = path.join(root, 'my-ca.crt');
    const keyFile = path.join(root, 'my-ca.key');
    await writeFile(certFile, anchor.certPem);
    await writeFile(keyFile, other.keyPem);
    const dir = path.join(root, 'elsewhere');
    await expect(identity(root, 'init', '--dir', dir, '--anchor-cert', certFile, '--anchor-key', keyFile)).rejects.toThrow(
      `${keyFile}: the key is not the key of the certificate (CN=root.identity.meshviz.cluster.local)`,
    );
    const issuer = await createIssuer(anchor, { trustDomain: 'cluster.local' });
    await writeFile(keyFile, anchor.keyPem);
    await writeFile(certFile, issuer.certPem.replace('MII', 'XXX'));
    await expect(identity(root, 'init', '--dir', dir, '--anchor-cert', certFile, '--anchor-key', keyFile)).rejects.toThrow(
      new RegExp(`^${certFile.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `),
    );

    await writeFile(certFile, anchor.certPem);
    const { code, out } = await identity(root, 'init', '--dir', dir, '--anchor-cert', certFile, '--anchor-key', keyFile);
    expect(code).toBe(0);
    expect(out).toContain('your anchor key was not copied');
    expect((await readTrustFiles(dir)).anchorsPem).toBe(anchor.certPem);
  });

  it('names bad arguments', async () => {
    const root = await home();
    await expect(identity(root, 'init', '--anchor-cert', 'a.crt')).rejects.toThrow(UsageError);
    await expect(identity(root, 'init', '--anchor-cert', 'a.crt')).rejects.toThrow(/--anchor-cert and --anchor-key go together/);
    await expect(identity(root, 'init', '--trust-domain', 'Not Valid')).rejects.toThrow(/--trust-domain "Not Valid" is not a lower-case DNS name/);
    await expect(identity(root, 'rotate')).rejects.toThrow(/unknown identity command "rotate"/);
    await expect(identity(root, 'init', 'extra')).rejects.toThrow(/takes no arguments/);
  });
});
