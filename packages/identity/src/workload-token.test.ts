import { createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDENTITY_TOKEN_AUDIENCE } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { IdentityError } from './errors.js';
import { createWorkloadTokenKeyText, issueWorkloadToken, readWorkloadTokenKey, verifyWorkloadToken } from './workload-token.js';

const secret = randomBytes(32);
const workload = { namespace: 'shop', serviceAccount: 'web' };

function refusal(fn: () => unknown): IdentityError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(IdentityError);
    expect((error as IdentityError).code).toBe('IDENTITY_UNAUTHENTICATED');
    return error as IdentityError;
  }
  throw new Error('expected the token to be refused');
}

/** A token signed with `secret` over claims of the test's choosing, to reach checks past the signature. */
function handMade(claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode(header)}.${encode(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

describe('workload tokens', () => {
  it('round-trip the workload, with the subject and audience Kubernetes tokens have', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const token = issueWorkloadToken(secret, workload, { now, ttlMs: 60_000 });
    expect(verifyWorkloadToken(secret, token, now)).toEqual(workload);
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    expect(claims).toEqual({
      sub: 'system:serviceaccount:shop:web',
      aud: IDENTITY_TOKEN_AUDIENCE,
      iat: now.getTime() / 1000,
      exp: now.getTime() / 1000 + 60,
    });
  });

  it('default to a year', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const token = issueWorkloadToken(secret, workload, { now });
    expect(verifyWorkloadToken(secret, token, new Date('2026-12-31T00:00:00Z'))).toEqual(workload);
    expect(refusal(() => verifyWorkloadToken(secret, token, new Date('2027-01-02T00:00:00Z'))).message).toMatch(/expired/);
  });

  it('refuse a tampered payload, another key and a truncated token', () => {
    const token = issueWorkloadToken(secret, workload);
    const [header, , signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'system:serviceaccount:shop:admin', aud: IDENTITY_TOKEN_AUDIENCE, exp: 2e9 })).toString(
      'base64url',
    );
    expect(refusal(() => verifyWorkloadToken(secret, `${header}.${forged}.${signature}`)).message).toMatch(/bad signature/);
    expect(refusal(() => verifyWorkloadToken(randomBytes(32), token)).message).toMatch(/bad signature/);
    expect(refusal(() => verifyWorkloadToken(secret, token.slice(0, -3))).message).toMatch(/bad signature/);
    expect(refusal(() => verifyWorkloadToken(secret, 'abc')).message).toMatch(/not a JWT/);
  });

  it('refuse an expired token, a wrong audience, another algorithm and a subject that is no service account', () => {
    const now = new Date();
    const expired = issueWorkloadToken(secret, workload, { now: new Date(now.getTime() - 120_000), ttlMs: 60_000 });
    expect(refusal(() => verifyWorkloadToken(secret, expired, now)).message).toMatch(/expired/);
    const exp = Math.floor(now.getTime() / 1000) + 60;
    const sub = 'system:serviceaccount:shop:web';
    expect(refusal(() => verifyWorkloadToken(secret, handMade({ sub, aud: 'kubernetes', exp }))).message).toMatch(/audience/);
    expect(verifyWorkloadToken(secret, handMade({ sub, aud: ['kubernetes', IDENTITY_TOKEN_AUDIENCE], exp }))).toEqual(workload);
    expect(refusal(() => verifyWorkloadToken(secret, handMade({ sub, aud: IDENTITY_TOKEN_AUDIENCE, exp }, { alg: 'none' }))).message).toMatch(
      /algorithm/,
    );
    expect(refusal(() => verifyWorkloadToken(secret, handMade({ sub: 'alice', aud: IDENTITY_TOKEN_AUDIENCE, exp }))).message).toMatch(
      /subject/,
    );
    expect(refusal(() => verifyWorkloadToken(secret, handMade({ sub, aud: IDENTITY_TOKEN_AUDIENCE }))).message).toMatch(/expired/);
  });

  it('refuse a short key and names that are not DNS labels', () => {
    expect(() => issueWorkloadToken(randomBytes(8), workload)).toThrow(/at least 32 bytes/);
    expect(() => issueWorkloadToken(secret, { namespace: 'Shop', serviceAccount: 'web' })).toThrow(/DNS labels/);
  });
});

describe('workload token key files', () => {
  it('hold the key as text; a trailing newline is not part of it, a short key and a missing file are named', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'meshviz-token-key-'));
    try {
      const file = join(dir, 'token.key');
      const text = createWorkloadTokenKeyText();
      await writeFile(file, text);
      const key = await readWorkloadTokenKey(file);
      expect(key.toString()).toBe(text.trim());
      expect(verifyWorkloadToken(key, issueWorkloadToken(Buffer.from(text.trim()), workload))).toEqual(workload);

      await writeFile(file, 'short\n');
      await expect(readWorkloadTokenKey(file)).rejects.toThrow(`${file}: the key must be at least 32 bytes (it has 5)`);
      await expect(readWorkloadTokenKey(join(dir, 'nope'))).rejects.toThrow(`${join(dir, 'nope')}: missing`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
