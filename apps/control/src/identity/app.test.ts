import { expect, it } from 'vitest';
import { captureLog } from '../testing/capture-log.js';
import { buildIdentityApp } from './app.js';

function appWithoutIssuer() {
  const results: string[] = [];
  const app = buildIdentityApp({
    log: captureLog().log,
    trustDomain: 'cluster.local',
    leafLifetimeMs: 3600_000,
    clockSkewMs: 0,
    trust: () => undefined,
    validator: {
      kind: 'local',
      validate: async () => {
        throw new Error('the validator must not be asked without an issuer');
      },
    },
    onResult: (result) => results.push(result),
  });
  return { app, results };
}

it('answers 503 while no issuer is loaded, before asking about the token', async () => {
  const { app, results } = appWithoutIssuer();
  const response = await app.inject({
    method: 'POST',
    url: '/v1/certify',
    payload: {
      identity: 'web.shop.serviceaccount.identity.meshviz.cluster.local',
      token: 't',
      certificateSigningRequest: 'csr',
    },
  });
  expect(response.statusCode).toBe(503);
  expect(response.json()).toEqual({
    error: { code: 'IDENTITY_UNAVAILABLE', message: 'no issuer is loaded yet; the trust files are missing or refused' },
  });
  expect(results).toEqual(['unavailable']);
});

it('answers an unknown endpoint and a wrong content type with the error shape', async () => {
  const { app } = appWithoutIssuer();
  const missing = await app.inject({ method: 'GET', url: '/v1/nothing?x=1' });
  expect(missing.statusCode).toBe(404);
  expect(missing.json()).toEqual({ error: { code: 'IDENTITY_INVALID_ARGUMENT', message: 'no such endpoint: GET /v1/nothing' } });
  const xml = await app.inject({ method: 'POST', url: '/v1/certify', payload: '<certify/>', headers: { 'content-type': 'application/xml' } });
  expect(xml.statusCode).toBe(415);
  expect(xml.json()).toMatchObject({ error: { code: 'IDENTITY_INVALID_ARGUMENT', message: expect.stringMatching(/application\/xml/) } });
  const text = await app.inject({ method: 'POST', url: '/v1/certify', payload: 'hello', headers: { 'content-type': 'text/plain' } });
  expect(text.statusCode).toBe(400);
  expect(text.json()).toMatchObject({ error: { code: 'IDENTITY_INVALID_ARGUMENT', message: expect.stringMatching(/not a CertifyRequest/) } });
});
