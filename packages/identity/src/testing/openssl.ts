import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Runs the real `openssl verify` on a leaf with the anchors as -CAfile and the issuer as -untrusted, so the chain
 * is judged by a verifier other than our own. Resolves with openssl's output; rejects with it when it refuses.
 */
export async function opensslVerify(
  leafPem: string,
  issuerPem: string,
  anchorsPem: string,
  extraArgs: string[] = [],
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'meshviz-openssl-'));
  try {
    await Promise.all([
      writeFile(join(dir, 'ca.crt'), anchorsPem),
      writeFile(join(dir, 'issuer.crt'), issuerPem),
      writeFile(join(dir, 'leaf.crt'), leafPem),
    ]);
    const untrusted = issuerPem ? ['-untrusted', join(dir, 'issuer.crt')] : [];
    const args = ['verify', '-x509_strict', ...extraArgs, '-CAfile', join(dir, 'ca.crt'), ...untrusted];
    const { stdout, stderr } = await run('openssl', [...args, join(dir, 'leaf.crt')]).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`openssl verify refused: ${error.stdout ?? ''}${error.stderr ?? ''}`);
    });
    return `${stdout}${stderr}`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
