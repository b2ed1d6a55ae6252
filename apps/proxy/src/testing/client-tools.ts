import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCsr, signLeaf } from '@meshviz/identity';
import { parseIdentityName } from '@meshviz/mesh-types';
import type { TestPki } from './identity-fixtures.js';

/**
 * What tests need to drive clients of other implementations (curl, openssl, Python grpcio) against a proxy: a mesh
 * certificate on disk, and a way to run a program without blocking the event loop the proxies under test share.
 */

/** A mesh certificate for `identity` written as PEM files (key, leaf, issuer, leaf + issuer, anchor) in a new directory. */
export async function writeClientCertificate(pki: TestPki, identity: string): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'meshviz-client-cert-'));
  const workload = parseIdentityName(identity);
  if (!workload) throw new Error(`${identity} is not an identity name`);
  const { keyPem, csrPem } = await createCsr(workload);
  const leaf = await signLeaf(pki.issuer, csrPem, { identity: workload });
  writeFileSync(path.join(dir, 'key.pem'), keyPem);
  writeFileSync(path.join(dir, 'cert.pem'), leaf.certPem);
  writeFileSync(path.join(dir, 'issuer.pem'), pki.issuer.certPem);
  writeFileSync(path.join(dir, 'chain.pem'), `${leaf.certPem.trim()}\n${pki.issuer.certPem.trim()}\n`);
  writeFileSync(path.join(dir, 'ca.pem'), pki.anchor.certPem);
  return dir;
}

/** Runs a program with `input` on its stdin (asynchronously: the proxies under test share this event loop). */
export function run(command: string, args: string[], input: string): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
    child.stdin.end(input);
  });
}

/** A python3 that can import grpc (Debian's python3-grpcio), or undefined. */
export function pythonWithGrpc(): string | undefined {
  return ['python3', '/usr/bin/python3'].find((bin) => spawnSync(bin, ['-c', 'import grpc']).status === 0);
}

/** The Python gRPC client script (testing/grpc_client.py). */
export const GRPC_CLIENT_SCRIPT = fileURLToPath(new URL('./grpc_client.py', import.meta.url));
