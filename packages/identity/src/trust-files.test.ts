import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CaMaterial, createIssuer, createTrustAnchor } from './authority.js';
import { readTrustFiles, TRUST_FILES, TrustFilesError, writeTrustFiles } from './trust-files.js';

const trustDomain = 'cluster.local';
let anchor: CaMaterial;
let issuer: CaMaterial;
let otherAnchor: CaMaterial;
beforeAll(async () => {
  anchor = await createTrustAnchor({ trustDomain });
  issuer = await createIssuer(anchor, { trustDomain });
  otherAnchor = await createTrustAnchor({ trustDomain });
});

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});
async function freshDir(): Promise<string> {
  const parent = await mkdtemp(join(tmpdir(), 'meshviz-trust-'));
  dirs.push(parent);
  return join(parent, 'identity');
}

async function refusal(promise: Promise<unknown>): Promise<TrustFilesError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TrustFilesError);
  return error as TrustFilesError;
}

describe('trust files', () => {
  it('are written with private modes and read back without the anchor key', async () => {
    const dir = await freshDir();
    await writeTrustFiles(dir, { anchor, issuer });
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(dir, 'ca.key'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'issuer.key'))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(dir, 'ca.key'), 'utf8')).toBe(anchor.keyPem);

    await rm(join(dir, TRUST_FILES.anchorKey));
    expect(await readTrustFiles(dir)).toEqual({ anchorsPem: anchor.certPem, issuer });
  });

  it('replace older files and leave no temporary files behind', async () => {
    const dir = await freshDir();
    await writeTrustFiles(dir, { anchor, issuer });
    const next = await createIssuer(anchor, { trustDomain });
    await writeTrustFiles(dir, { anchor: { certPem: `${anchor.certPem}${otherAnchor.certPem}` }, issuer: next });
    expect((await readdir(dir)).sort()).toEqual(['ca.crt', 'issuer.crt', 'issuer.key']);
    expect((await readTrustFiles(dir)).issuer).toEqual(next);
  });

  it('name the missing file', async () => {
    const dir = await freshDir();
    await writeTrustFiles(dir, { anchor, issuer });
    await rm(join(dir, 'issuer.key'));
    const error = await refusal(readTrustFiles(dir));
    expect(error.file).toBe(join(dir, 'issuer.key'));
    expect(error.message).toBe(`${join(dir, 'issuer.key')}: missing`);
  });

  it('name a broken certificate, a key of another certificate and an issuer of another anchor', async () => {
    const dir = await freshDir();
    await writeTrustFiles(dir, { anchor, issuer });

    await writeFile(join(dir, 'issuer.crt'), '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    let error = await refusal(readTrustFiles(dir));
    expect(error.file).toBe(join(dir, 'issuer.crt'));
    expect(error.message).toMatch(/cannot be parsed/);

    await writeFile(join(dir, 'issuer.crt'), issuer.certPem);
    await writeFile(join(dir, 'issuer.key'), anchor.keyPem);
    error = await refusal(readTrustFiles(dir));
    expect(error.file).toBe(join(dir, 'issuer.key'));
    expect(error.message).toMatch(/is not the key of issuer\.crt/);

    const stranger = await createIssuer(otherAnchor, { trustDomain });
    await writeFile(join(dir, 'issuer.crt'), stranger.certPem);
    await writeFile(join(dir, 'issuer.key'), stranger.keyPem);
    error = await refusal(readTrustFiles(dir));
    expect(error.file).toBe(join(dir, 'issuer.crt'));
    expect(error.message).toMatch(/does not chain to the anchors in ca\.crt/);

    await writeFile(join(dir, 'ca.crt'), 'not pem');
    error = await refusal(readTrustFiles(dir));
    expect(error.file).toBe(join(dir, 'ca.crt'));
    expect(error.message).toMatch(/holds no PEM certificate/);

    await writeFile(join(dir, 'issuer.key'), 'garbage');
    await writeFile(join(dir, 'ca.crt'), `${anchor.certPem}${otherAnchor.certPem}`);
    error = await refusal(readTrustFiles(dir));
    expect(error.file).toBe(join(dir, 'issuer.key'));
    expect(error.message).toMatch(/not a PEM private key/);
  });

  it('are not written when the material does not fit together', async () => {
    const dir = await freshDir();
    const error = await refusal(writeTrustFiles(dir, { anchor: otherAnchor, issuer }));
    expect(error.file).toBe(join(dir, 'issuer.crt'));
    const wrongKey = await refusal(writeTrustFiles(dir, { anchor: { ...anchor, keyPem: otherAnchor.keyPem }, issuer }));
    expect(wrongKey.file).toBe(join(dir, 'ca.key'));
    await expect(stat(dir)).rejects.toThrow(/ENOENT/);
  });

  it('refuse an expired issuer', async () => {
    const dir = await freshDir();
    const now = new Date();
    await writeTrustFiles(dir, { anchor, issuer: await createIssuer(anchor, { trustDomain, lifetimeMs: 60_000, now }) });
    const error = await refusal(readTrustFiles(dir, new Date(now.getTime() + 120_000)));
    expect(error.file).toBe(join(dir, 'issuer.crt'));
    expect(error.message).toMatch(/expired at/);
  });
});
