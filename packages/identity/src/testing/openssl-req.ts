import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Runs the real `openssl req -verify -noout -text` on a CSR, so its encoding and self-signature are judged by a
 * parser other than ours and the X.509 library's. Resolves with openssl's output; rejects with it when it refuses.
 */
export async function opensslReq(csrPem: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'meshviz-openssl-req-'));
  try {
    const file = join(dir, 'request.csr');
    await writeFile(file, csrPem);
    const { stdout, stderr } = await run('openssl', ['req', '-in', file, '-verify', '-noout', '-text']).catch(
      (error: { stdout?: string; stderr?: string }) => {
        throw new Error(`openssl req refused: ${error.stdout ?? ''}${error.stderr ?? ''}`);
      },
    );
    return `${stdout}${stderr}`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
