import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyHandle } from '../../../apps/proxy/src/proxy.js';
import { writeClientCertificate } from '../../../apps/proxy/src/testing/client-tools.js';
import { startUpstream, type Upstream } from '../../../apps/proxy/src/testing/http-fixtures.js';
import { createTestPki, startTestIdentityService, type TestIdentityService, type TestPki } from '../../../apps/proxy/src/testing/identity-fixtures.js';
import { catalogPolicy, ids, onlyIdentities, policyInForce, prefix, route, startReplica } from '../../../apps/proxy/src/testing/policy-fixtures.js';
import { startTestPolicyService, type TestPolicyService } from '../../../apps/proxy/src/testing/policy-service.js';
import { statusCodes } from '../support/raw-socket.js';
import { tlsAttempt } from '../support/tls-client.js';

/**
 * The identity and policy services stopped while mTLS traffic flows: the proxy keeps serving with the certificate
 * and the policy it holds — the allowed identity still gets in, another is still refused.
 */
let pki: TestPki;
let identityService: TestIdentityService;
let policyService: TestPolicyService;
let app: Upstream;
let proxy: ProxyHandle;
let id: ReturnType<typeof ids>;
let certs: { web: string; ledger: string };

beforeAll(async () => {
  pki = await createTestPki();
  id = ids(pki);
  identityService = await startTestIdentityService(pki);
  policyService = await startTestPolicyService(pki);
  app = await startUpstream((req, res) => res.end(`hello ${req.url}`));
  certs = { web: await writeClientCertificate(pki, id.web), ledger: await writeClientCertificate(pki, id.ledger) };
  policyService.publish(catalogPolicy(1, app.port, { routes: [route('HTTPRoute', 'books', [prefix('/books')], [onlyIdentities('web-only', [id.web])])] }));
  proxy = await startReplica(app.addr, { pki, identityService, policyService });
  await policyInForce(proxy, 1);
});
afterAll(async () => {
  await proxy?.shutdown();
  await app?.close();
  for (const dir of Object.values(certs ?? {})) rmSync(dir, { recursive: true, force: true });
});

const call = (as: string, path: string) =>
  tlsAttempt(proxy.addresses.inbound, {
    serverName: id.server,
    certDir: as,
    caDir: as,
    request: `GET ${path} HTTP/1.1\r\nHost: catalog.bookshop.svc.cluster.local\r\nConnection: close\r\n\r\n`,
  }).then((r) => statusCodes(Buffer.from(r.response, 'latin1'))[0]);

describe('control plane down with traffic flowing', () => {
  it('keeps serving with the certificate and policy it holds when the identity and policy services stop', async () => {
    expect(await call(certs.web, '/books/before')).toBe(200);
    await Promise.all([identityService.close(), policyService.close()]);
    const statuses: (number | undefined)[] = [];
    for (let i = 0; i < 30; i++) {
      statuses.push(await call(certs.web, `/books/${i}`));
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(statuses).toEqual(Array.from({ length: 30 }, () => 200));
    expect(await call(certs.ledger, '/books/refused')).toBe(403);
  });
});
