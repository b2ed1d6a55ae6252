import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createIssuer, createTrustAnchor, inspectCertificate, readTrustFiles, verifyChain, writeTrustFiles } from '@meshviz/identity';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureTrustFiles, initTrustFiles } from './trust-dir.js';

const trustDomain = 'cluster.local';
const scratch: string[] = [];
afterEach(async () => {
  await Promise.all(scratch.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});
async function freshDir(): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'meshviz-cli-identity-'));
  scratch.push(root);
  return path.join(root, 'identity');
}

describe('initTrustFiles', () => {
  it('writes an anchor and an issuer that the identity service accepts', async () => {
    const dir = await freshDir();
    const result = await initTrustFiles({ dir, trustDomain: 'mesh.example' });
    expect(result.written).toEqual(['ca.crt', 'ca.key', 'issuer.key', 'issuer.crt'].map((name) => path.join(dir, name)));
    const material = await readTrustFiles(dir);
    expect(verifyChain(material.issuer.certPem, [], [material.anchorsPem])).toEqual({ ok: true });
    expect(result.anchor.subject).toBe('CN=root.identity.meshviz.mesh.example');
    expect(result.anchor.fingerprintSha256).toBe(inspectCertificate(material.anchorsPem).fingerprintSha256);
    expect((await stat(path.join(dir, 'ca.key'))).mode & 0o777).toBe(0o600);
  });

  it('refuses to replace existing files without force, naming them', async () => {
    const dir = await freshDir();
    await initTrustFiles({ dir, trustDomain });
    const before = await readFile(path.join(dir, 'ca.crt'), 'utf8');
    await expect(initTrustFiles({ dir, trustDomain })).rejects.toThrow(
      `${['ca.crt', 'ca.key', 'issuer.crt', 'issuer.key'].map((name) => path.join(dir, name)).join(', ')} already exist; pass --force`,
    );
    expect(await readFile(path.join(dir, 'ca.crt'), 'utf8')).toBe(before);
    await initTrustFiles({ dir, trustDomain, force: true });
    expect(await readFile(path.join(dir, 'ca.crt'), 'utf8')).not.toBe(before);
  });

  it("makes only an issuer under the user's anchor and does not copy the anchor key", async () => {
    const dir = await freshDir();
    await initTrustFiles({ dir, trustDomain });
    const own = await createTrustAnchor({ trustDomain });
    const result = await initTrustFiles({ dir, trustDomain, force: true, anchor: own });
    expect(result.written.map((file) => path.basename(file))).toEqual(['ca.crt', 'issuer.key', 'issuer.crt']);
    await expect(stat(path.join(dir, 'ca.key'))).rejects.toThrow(/ENOENT/);
    const material = await readTrustFiles(dir);
    expect(material.anchorsPem).toBe(own.certPem);
    expect(verifyChain(material.issuer.certPem, [], [own.certPem])).toEqual({ ok: true });
  });
});

describe('ensureTrustFiles', () => {
  it('creates files in an empty directory and leaves a good set alone', async () => {
    const dir = await freshDir();
    expect(await ensureTrustFiles(dir, trustDomain)).toEqual({ created: true });
    const first = await readTrustFiles(dir);
    expect(await ensureTrustFiles(dir, trustDomain)).toEqual({ created: false });
    expect(await readTrustFiles(dir)).toEqual(first);
  });

  it('makes an issuer for an anchor placed with its key', async () => {
    const dir = await freshDir();
    const anchor = await createTrustAnchor({ trustDomain });
    await writeTrustFiles(dir, { anchor, issuer: await createIssuer(anchor, { trustDomain }) });
    await rm(path.join(dir, 'issuer.crt'));
    await rm(path.join(dir, 'issuer.key'));
    expect(await ensureTrustFiles(dir, trustDomain)).toEqual({ created: true });
    const material = await readTrustFiles(dir);
    expect(material.anchorsPem).toBe(anchor.certPem);
  });

  it('never overwrites a broken or partial set, and names the file', async () => {
    const dir = await freshDir();
    await initTrustFiles({ dir, trustDomain });
    await writeFile(path.join(dir, 'issuer.key'), 'garbage');
    const before = await readFile(path.join(dir, 'issuer.crt'), 'utf8');
    await expect(ensureTrustFiles(dir, trustDomain)).rejects.toThrow(
      new RegExp(`^${path.join(dir, 'issuer.key').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not a PEM private key.*run \`meshviz identity init --force\`$`),
    );
    expect(await readFile(path.join(dir, 'issuer.crt'), 'utf8')).toBe(before);

    await rm(path.join(dir, 'ca.crt'));
    await expect(ensureTrustFiles(dir, trustDomain)).rejects.toThrow(`${path.join(dir, 'ca.crt')}: missing`);
  });
});
