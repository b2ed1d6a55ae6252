import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { IDENTITY_TOKEN_AUDIENCE } from '@meshviz/mesh-types';
import { IdentityError } from './errors.js';

/**
 * Local workload tokens: the local runtime's stand-in for Kubernetes service-account tokens. A JWT (HS256) whose
 * subject is `system:serviceaccount:<ns>:<sa>` and whose audience is the identity service's, so the identity
 * service checks both kinds of token the same way: who is this workload, and was the token meant for me.
 */

export interface WorkloadRef {
  namespace: string;
  serviceAccount: string;
}

const DEFAULT_TTL_MS = 365 * 24 * 60 * 60 * 1000;
/** HS256 keys shorter than the hash are weak (RFC 7518 §3.2). */
const MIN_SECRET_BYTES = 32;
const SUBJECT_RE = /^system:serviceaccount:([a-z0-9]([-a-z0-9]*[a-z0-9])?):([a-z0-9]([-a-z0-9]*[a-z0-9])?)$/;
const HEADER = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

/** The Kubernetes user name of a service account, the `sub` of a workload token. */
export function serviceAccountUsername(w: WorkloadRef): string {
  return `system:serviceaccount:${w.namespace}:${w.serviceAccount}`;
}

/** Splits `system:serviceaccount:<ns>:<sa>`; undefined for any other user name. */
export function parseServiceAccountUsername(username: string): WorkloadRef | undefined {
  const m = SUBJECT_RE.exec(username);
  return m ? { namespace: m[1]!, serviceAccount: m[3]! } : undefined;
}

export function issueWorkloadToken(secret: Buffer, w: WorkloadRef, opts: { ttlMs?: number; now?: Date } = {}): string {
  assertSecret(secret);
  const subject = serviceAccountUsername(w);
  if (!parseServiceAccountUsername(subject)) {
    throw new RangeError(`namespace ${JSON.stringify(w.namespace)} and service account ${JSON.stringify(w.serviceAccount)} must be DNS labels`);
  }
  const ttlMs = opts.ttlMs ?? DEFAULT_TTL_MS;
  if (!(ttlMs > 0)) throw new RangeError(`ttlMs must be positive (got ${ttlMs})`);
  const iat = Math.floor((opts.now ?? new Date()).getTime() / 1000);
  const payload = base64url(JSON.stringify({ sub: subject, aud: IDENTITY_TOKEN_AUDIENCE, iat, exp: iat + Math.ceil(ttlMs / 1000) }));
  return `${HEADER}.${payload}.${sign(secret, `${HEADER}.${payload}`)}`;
}

/** The workload a token was issued to; throws IdentityError IDENTITY_UNAUTHENTICATED saying why it is refused. */
export function verifyWorkloadToken(secret: Buffer, token: string, now: Date = new Date()): WorkloadRef {
  assertSecret(secret);
  const refuse = (why: string) => new IdentityError('IDENTITY_UNAUTHENTICATED', `workload token refused: ${why}`);
  const parts = token.split('.');
  if (parts.length !== 3) throw refuse('not a JWT');
  const [header, payload, signature] = parts as [string, string, string];

  const expected = Buffer.from(sign(secret, `${header}.${payload}`));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refuse('bad signature');

  const head = decodeJson(header);
  if (head?.alg !== 'HS256') throw refuse('the algorithm is not HS256');
  const claims = decodeJson(payload);
  if (!claims) throw refuse('the payload is not JSON');
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(IDENTITY_TOKEN_AUDIENCE)) throw refuse(`the audience is not ${IDENTITY_TOKEN_AUDIENCE}`);
  const nowSeconds = now.getTime() / 1000;
  if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) throw refuse('expired');
  if (typeof claims.nbf === 'number' && claims.nbf > nowSeconds) throw refuse('not valid yet');
  const workload = typeof claims.sub === 'string' ? parseServiceAccountUsername(claims.sub) : undefined;
  if (!workload) throw refuse('the subject is not system:serviceaccount:<namespace>:<service account>');
  return workload;
}

function sign(secret: Buffer, input: string): string {
  return createHmac('sha256', secret).update(input).digest('base64url');
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function assertSecret(secret: Buffer): void {
  if (secret.length < MIN_SECRET_BYTES) throw new RangeError(`the token key must be at least ${MIN_SECRET_BYTES} bytes (got ${secret.length})`);
}

/**
 * A new key for local workload tokens, as the text of a key file: 32 random bytes in hex (the key is the file's
 * text, so `openssl rand -hex 32` makes an equivalent one by hand).
 */
export function createWorkloadTokenKeyText(): string {
  return `${randomBytes(32).toString('hex')}\n`;
}

/** The key in a key file: its bytes without trailing whitespace, at least 32 of them. Throws naming the file. */
export async function readWorkloadTokenKey(file: string): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`${file}: ${code === 'ENOENT' ? 'missing' : `cannot be read (${code ?? (error as Error).message})`}`, { cause: error });
  }
  let end = bytes.length;
  while (end > 0 && /\s/.test(String.fromCharCode(bytes[end - 1]!))) end--;
  const key = bytes.subarray(0, end);
  if (key.length < MIN_SECRET_BYTES) throw new Error(`${file}: the key must be at least ${MIN_SECRET_BYTES} bytes (it has ${key.length})`);
  return key;
}
