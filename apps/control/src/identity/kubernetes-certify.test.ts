import { mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCsr } from '@meshviz/identity';
import { CertifyResponse, IDENTITY_TOKEN_AUDIENCE, identityName } from '@meshviz/mesh-types';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ControlConfig } from '../config.js';
import { startControl } from '../control.js';
import { captureLog, eventually } from '../testing/capture-log.js';
import { postIdentity } from '../testing/https-client.js';
import { opensslServerCert } from '../testing/openssl.js';
import { startTokenReviewStandIn, type TokenReviewStandIn } from '../testing/token-review-stand-in.js';
import { makeTrustFixture, type TrustFixture } from '../testing/trust-dir.js';

const trustDomain = 'cluster.local';
const web = { serviceAccount: 'web', namespace: 'shop', trustDomain };
let fx: TrustFixture;
let standIn: TokenReviewStandIn;
let kube: { tokenFile: string; caFile: string };

beforeAll(async () => {
  fx = await makeTrustFixture(trustDomain);
  const dir = await mkdtemp(join(fx.root, 'k8s-'));
  const tls = await opensslServerCert(dir);
  kube = { tokenFile: join(dir, 'token'), caFile: tls.certFile };
  await writeFile(kube.tokenFile, 'control-plane-own-token');
  standIn = await startTokenReviewStandIn(tls, {
    'projected-web-token': { authenticated: true, user: { username: 'system:serviceaccount:shop:web' }, audiences: [IDENTITY_TOKEN_AUDIENCE] },
  });
});
afterAll(async () => {
  await standIn?.close();
  await fx?.cleanup();
});

async function startWith(apiUrl: string) {
  const config: ControlConfig = {
    identity: {
      listen: { host: '127.0.0.1', port: 0 },
      trustDomain,
      dir: fx.dir,
      pollIntervalMs: 1000,
      leafLifetimeMs: 3600_000,
      clockSkewMs: 20_000,
      tokenValidator: { kind: 'kubernetes', apiUrl, ...kube },
    },
    admin: { listen: { host: '127.0.0.1', port: 0 } },
    logLevel: 'info',
    parentPid: undefined,
    policy: undefined,
    destination: undefined,
  };
  const control = await startControl(config, { log: captureLog().log });
  await eventually(() => (control.ready() ? true : undefined), 'ready');
  return control;
}

async function certify(address: string, token: string) {
  const { csrPem } = await createCsr(web);
  const body = JSON.stringify({ identity: identityName(web), token, certificateSigningRequest: csrPem });
  const answer = await postIdentity(address, '/v1/certify', body, { anchorsPem: fx.anchor.certPem, trustDomain });
  return { status: answer.status, json: JSON.parse(answer.body) as unknown };
}

it('certifies a workload whose projected token the TokenReview stand-in authenticates, and refuses one it does not', async () => {
  const control = await startWith(standIn.url);
  try {
    const ok = await certify(control.addresses.identity!, 'projected-web-token');
    expect(ok.status).toBe(200);
    expect(CertifyResponse.parse(ok.json).intermediateCertificates).toEqual([fx.issuer.certPem]);
    expect(standIn.requests.at(-1)?.authorization).toBe('Bearer control-plane-own-token');

    const refused = await certify(control.addresses.identity!, 'someone-elses-token');
    expect(refused.status).toBe(401);
    expect(refused.json).toEqual({
      error: { code: 'IDENTITY_UNAUTHENTICATED', message: 'token refused by the Kubernetes API: invalid bearer token' },
    });
  } finally {
    await control.shutdown();
  }
});

it('answers 503 when the Kubernetes API cannot be reached', async () => {
  const down = await startTokenReviewStandIn({ keyFile: join(kube.caFile, '..', 'apiserver.key'), certFile: kube.caFile }, {});
  const url = down.url;
  await down.close();
  const control = await startWith(url);
  try {
    const answer = await certify(control.addresses.identity!, 'projected-web-token');
    expect(answer.status).toBe(503);
    expect(answer.json).toMatchObject({ error: { code: 'IDENTITY_UNAVAILABLE', message: expect.stringMatching(/ECONNREFUSED/) } });
  } finally {
    await control.shutdown();
  }
});
