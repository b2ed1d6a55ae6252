import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IdentityError } from '@meshviz/identity';
import { IDENTITY_TOKEN_AUDIENCE } from '@meshviz/mesh-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opensslServerCert } from '../../testing/openssl.js';
import { startTokenReviewStandIn, type TokenReviewStandIn } from '../../testing/token-review-stand-in.js';
import { createKubernetesValidator } from './kubernetes.js';

let dir: string;
let tls: { keyFile: string; certFile: string };
let standIn: TokenReviewStandIn;
let tokenFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'meshviz-k8s-'));
  tls = await opensslServerCert(dir);
  tokenFile = join(dir, 'token');
  await writeFile(tokenFile, 'control-plane-own-token\n');
  standIn = await startTokenReviewStandIn(tls, {
    'web-token': { authenticated: true, user: { username: 'system:serviceaccount:shop:web' }, audiences: [IDENTITY_TOKEN_AUDIENCE] },
    'kubernetes-audience-token': { authenticated: true, user: { username: 'system:serviceaccount:shop:web' }, audiences: [] },
    'no-audiences-token': { authenticated: true, user: { username: 'system:serviceaccount:shop:web' } },
    'user-token': { authenticated: true, user: { username: 'alice@example.com' }, audiences: [IDENTITY_TOKEN_AUDIENCE] },
  });
});
afterAll(async () => {
  await standIn?.close();
  await rm(dir, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<IdentityError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IdentityError);
  return error as IdentityError;
}

describe('kubernetes token validator (against a TokenReview stand-in)', () => {
  it('accepts an authenticated service-account token for our audience, sending a TokenReview with our own bearer', async () => {
    const validator = createKubernetesValidator({ apiUrl: standIn.url, tokenFile, caFile: tls.certFile });
    const before = standIn.requests.length;
    expect(await validator.validate('web-token')).toEqual({ namespace: 'shop', serviceAccount: 'web' });
    expect(standIn.requests.slice(before)).toEqual([
      {
        path: '/apis/authentication.k8s.io/v1/tokenreviews',
        authorization: 'Bearer control-plane-own-token',
        body: {
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'TokenReview',
          spec: { token: 'web-token', audiences: [IDENTITY_TOKEN_AUDIENCE] },
        },
      },
    ]);
  });

  it('refuses an unauthenticated token with the API server\'s reason', async () => {
    const validator = createKubernetesValidator({ apiUrl: standIn.url, tokenFile, caFile: tls.certFile });
    const error = await rejection(validator.validate('forged'));
    expect(error.code).toBe('IDENTITY_UNAUTHENTICATED');
    expect(error.message).toMatch(/invalid bearer token/);
  });

  it('refuses a token minted for another audience, and a review that names no audiences', async () => {
    const validator = createKubernetesValidator({ apiUrl: standIn.url, tokenFile, caFile: tls.certFile });
    for (const token of ['kubernetes-audience-token', 'no-audiences-token']) {
      const error = await rejection(validator.validate(token));
      expect(error.code).toBe('IDENTITY_UNAUTHENTICATED');
      expect(error.message).toMatch(/audiences do not include identity\.meshviz\.io/);
    }
  });

  it('refuses a user that is not a service account', async () => {
    const validator = createKubernetesValidator({ apiUrl: standIn.url, tokenFile, caFile: tls.certFile });
    const error = await rejection(validator.validate('user-token'));
    expect(error.code).toBe('IDENTITY_UNAUTHENTICATED');
    expect(error.message).toMatch(/"alice@example\.com" is not a service account/);
  });

  it('is unavailable when the API server is down, refuses us, or presents a certificate our CA file does not trust', async () => {
    // A port that was free a moment ago: nothing listens there.
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const down = createKubernetesValidator({ apiUrl: `https://127.0.0.1:${closed}`, tokenFile, caFile: tls.certFile });
    let error = await rejection(down.validate('web-token'));
    expect(error.code).toBe('IDENTITY_UNAVAILABLE');
    expect(error.message).toMatch(/cannot reach 127\.0\.0\.1:\d+: ECONNREFUSED/);

    const otherCa = await opensslServerCert(await mkdtemp(join(dir, 'other-')));
    const untrusted = createKubernetesValidator({ apiUrl: standIn.url, tokenFile, caFile: otherCa.certFile });
    error = await rejection(untrusted.validate('web-token'));
    expect(error.code).toBe('IDENTITY_UNAVAILABLE');
    expect(error.message).toMatch(/self[- ]signed|certificate/i);

    const noToken = createKubernetesValidator({ apiUrl: standIn.url, tokenFile: join(dir, 'missing'), caFile: tls.certFile });
    error = await rejection(noToken.validate('web-token'));
    expect(error.code).toBe('IDENTITY_UNAVAILABLE');
    expect(error.message).toContain(`cannot read ${join(dir, 'missing')} (ENOENT)`);

    standIn.failWith = 403;
    try {
      const validator = createKubernetesValidator({ apiUrl: standIn.url, tokenFile, caFile: tls.certFile });
      error = await rejection(validator.validate('web-token'));
      expect(error.code).toBe('IDENTITY_UNAVAILABLE');
      expect(error.message).toMatch(/answered 403 to the TokenReview/);
    } finally {
      standIn.failWith = undefined;
    }
  });
});
