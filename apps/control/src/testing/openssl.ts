import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** `openssl verify -CAfile <anchors> -untrusted <intermediates> <leaf>`; resolves with its output, rejects with it. */
export async function opensslVerify(leafPem: string, intermediatesPem: string, anchorsPem: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'meshviz-openssl-'));
  try {
    await writeFile(join(dir, 'ca.crt'), anchorsPem);
    await writeFile(join(dir, 'untrusted.crt'), intermediatesPem);
    await writeFile(join(dir, 'leaf.crt'), leafPem);
    const args = ['verify', '-x509_strict', '-CAfile', join(dir, 'ca.crt'), '-untrusted', join(dir, 'untrusted.crt'), join(dir, 'leaf.crt')];
    const { stdout, stderr } = await run('openssl', args).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`openssl verify refused: ${error.stdout ?? ''}${error.stderr ?? ''}`);
    });
    return `${stdout}${stderr}`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A self-signed P-256 server certificate for 127.0.0.1 made by the openssl CLI: the Kubernetes API stand-in
 * presents it, the validator trusts it as its CA file, as in a cluster.
 */
export async function opensslServerCert(dir: string): Promise<{ keyFile: string; certFile: string }> {
  const keyFile = join(dir, 'apiserver.key');
  const certFile = join(dir, 'apiserver.crt');
  await run('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1',
    '-subj', '/CN=kubernetes', '-addext', 'subjectAltName=IP:127.0.0.1',
    '-keyout', keyFile, '-out', certFile,
  ]);
  return { keyFile, certFile };
}
