import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CaMaterial, createIssuer, createTrustAnchor, createWorkloadTokenKeyText, writeTrustFiles } from '@meshviz/identity';

export interface TrustFixture {
  /** A scratch directory holding `identity/` (the trust dir) and `token.key`; removed by cleanup(). */
  root: string;
  dir: string;
  tokenKeyFile: string;
  tokenKey: Buffer;
  anchor: CaMaterial;
  issuer: CaMaterial;
  cleanup(): Promise<void>;
}

/** A real trust directory and token key file in a scratch directory; `write: false` leaves the trust dir empty. */
export async function makeTrustFixture(trustDomain: string, opts: { write?: boolean } = {}): Promise<TrustFixture> {
  const root = await mkdtemp(join(tmpdir(), 'meshviz-control-'));
  const dir = join(root, 'identity');
  const anchor = await createTrustAnchor({ trustDomain });
  const issuer = await createIssuer(anchor, { trustDomain });
  if (opts.write !== false) await writeTrustFiles(dir, { anchor, issuer });
  const tokenKeyFile = join(root, 'token.key');
  const keyText = createWorkloadTokenKeyText();
  await writeFile(tokenKeyFile, keyText, { mode: 0o600 });
  return {
    root,
    dir,
    tokenKeyFile,
    tokenKey: Buffer.from(keyText.trim()),
    anchor,
    issuer,
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}
