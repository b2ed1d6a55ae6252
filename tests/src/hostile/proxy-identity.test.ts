import { rmSync } from 'node:fs';
import { PROXY_ERROR_HEADER } from '@meshviz/mesh-types';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyHandle } from '../../../apps/proxy/src/proxy.js';
import { writeClientCertificate } from '../../../apps/proxy/src/testing/client-tools.js';
import { h2Connect, h2Send, startH2Upstream } from '../../../apps/proxy/src/testing/h2-fixtures.js';
import { send, startUpstream, type Upstream } from '../../../apps/proxy/src/testing/http-fixtures.js';
import { createTestPki, startTestIdentityService, type TestIdentityService, type TestPki } from '../../../apps/proxy/src/testing/identity-fixtures.js';
import { catalogPolicy, ids, onlyIdentities, policyInForce, prefix, route, startReplica } from '../../../apps/proxy/src/testing/policy-fixtures.js';
import { startTestPolicyService, type TestPolicyService } from '../../../apps/proxy/src/testing/policy-service.js';
import { startTestProxy } from '../../../apps/proxy/src/testing/test-config.js';
import { exchangeRaw, statusCodes } from '../support/raw-socket.js';
import { tlsAttempt } from '../support/tls-client.js';

/**
 * Callers that lie: forged identity and mesh-internal headers, TLS downgrades, server names (SNI) the port was not
 * asked for. The inbound proxy's only source of a client's identity is the mTLS handshake; headers claiming one are
 * removed before the app sees them and never change a policy decision.
 */
const HOST = 'catalog.bookshop.svc.cluster.local';

let pki: TestPki;
let identityService: TestIdentityService;
let policyService: TestPolicyService;
let app: Upstream;
let id: ReturnType<typeof ids>;
let certs: { web: string; ledger: string };
const proxies: ProxyHandle[] = [];

/** Forged claims of identity and of the mesh's own markers, as a hostile client would send them. */
const forged = (claimed: string): Record<string, string> => ({
  'l5d-client-id': claimed,
  'l5d-server-id': claimed,
  'x-meshviz-client-id': claimed,
  'x-meshviz-identity': claimed,
  'x-meshviz-fault': 'abort',
  'x-meshviz-proxy-error': 'internal_error',
  'L5D-Dst-Override': 'ledger.billing.svc.cluster.local:8080',
  'x-app-header': 'kept',
});

const reservedSeen = () => app.requests.flatMap((r) => Object.keys(r.headers).filter((n) => n.startsWith('l5d-') || n.startsWith('x-meshviz-')));

beforeAll(async () => {
  pki = await createTestPki();
  id = ids(pki);
  identityService = await startTestIdentityService(pki);
  policyService = await startTestPolicyService(pki);
  app = await startUpstream((req, res) => res.end(`hello ${req.url}`));
  certs = { web: await writeClientCertificate(pki, id.web), ledger: await writeClientCertificate(pki, id.ledger) };
});
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((p) => p.shutdown()));
  app.requests.length = 0;
});
afterAll(async () => {
  await Promise.all([app?.close(), identityService?.close(), policyService?.close()]);
  for (const dir of Object.values(certs ?? {})) rmSync(dir, { recursive: true, force: true });
});

/** A catalog replica whose /books only the web identity may call, over mTLS. */
async function lockedReplica(revision: number): Promise<ProxyHandle> {
  policyService.publish(catalogPolicy(revision, app.port, { routes: [route('HTTPRoute', 'books', [prefix('/books')], [onlyIdentities('web-only', [id.web])])] }));
  const proxy = await startReplica(app.addr, { pki, identityService, policyService });
  proxies.push(proxy);
  await policyInForce(proxy, revision);
  return proxy;
}

const request = (path: string, headers: Record<string, string>) =>
  `GET ${path} HTTP/1.1\r\nHost: ${HOST}\r\n${Object.entries(headers)
    .map(([n, v]) => `${n}: ${v}\r\n`)
    .join('')}Connection: close\r\n\r\n`;

describe('forged identity and mesh-internal headers at the inbound proxy', () => {
  it('removes them before the app, over HTTP/1.1 and HTTP/2, and a forged fault marker injects no fault', async () => {
    const proxy = await startTestProxy(app.addr);
    proxies.push(proxy);
    const reply = await send(proxy.addresses.inbound, { path: '/h1', headers: { host: HOST, ...forged('web') } });
    expect(reply.status).toBe(200);
    expect(reply.body.toString()).toBe('hello /h1');
    // HTTP/2 goes to the app as HTTP/2 (the proxy mirrors the client's protocol): an HTTP/2 app of its own.
    const h2App = await startH2Upstream((stream) => {
      stream.respond({ ':status': 200 });
      stream.end('hello h2');
    });
    const h2Proxy = await startTestProxy(h2App.addr);
    proxies.push(h2Proxy);
    const session = h2Connect(h2Proxy.addresses.inbound);
    try {
      const lower = Object.fromEntries(Object.entries(forged('web')).map(([n, v]) => [n.toLowerCase(), v]));
      const h2 = await h2Send(session, { headers: { ':path': '/h2', ':authority': HOST, ...lower } });
      expect(h2.status).toBe(200);
      const seen = Object.keys(h2App.streams[0]?.headers ?? {});
      expect(seen).toContain('x-app-header');
      expect(seen.filter((n) => n.startsWith('l5d-') || n.startsWith('x-meshviz-'))).toEqual([]);
    } finally {
      session.close();
      await h2App.close();
    }
    expect(app.requests.map((r) => r.url)).toEqual(['/h1']);
    expect(reservedSeen()).toEqual([]);
    expect(app.requests.every((r) => r.headers['x-app-header'] === 'kept')).toBe(true);
  });

  it('refuses plaintext claiming an allowed identity by header: 403, and the app sees nothing', async () => {
    const proxy = await lockedReplica(1);
    const out = await exchangeRaw(proxy.addresses.inbound, Buffer.from(request('/books/1', forged(id.web))), 3_000);
    expect(statusCodes(out.data)).toEqual([403]);
    expect(out.data.toString('latin1').toLowerCase()).toContain(`${PROXY_ERROR_HEADER}: unauthorized`);
    expect(app.requests).toEqual([]);
  });

  it('refuses mTLS as another identity claiming the allowed one by header, and serves the real one without the forgery', async () => {
    const proxy = await lockedReplica(2);
    const inbound = proxy.addresses.inbound;
    const asLedger = await tlsAttempt(inbound, { serverName: id.server, certDir: certs.ledger, caDir: certs.ledger, request: request('/books/2', forged(id.web)) });
    expect(asLedger.secured).toBe(true);
    expect(statusCodes(Buffer.from(asLedger.response, 'latin1'))).toEqual([403]);
    const asWeb = await tlsAttempt(inbound, { serverName: id.server, certDir: certs.web, caDir: certs.web, request: request('/books/3', forged(id.ledger)) });
    expect(statusCodes(Buffer.from(asWeb.response, 'latin1'))).toEqual([200]);
    expect(app.requests.map((r) => r.url)).toEqual(['/books/3']);
    expect(reservedSeen()).toEqual([]);
  });
});

describe('TLS downgrade and server-name tricks against an mTLS inbound port', () => {
  it('refuses TLS 1.2 for its own identity, even with a valid mesh certificate', async () => {
    const proxy = await lockedReplica(3);
    const out = await tlsAttempt(proxy.addresses.inbound, { serverName: id.server, certDir: certs.web, caDir: certs.web, maxVersion: 'TLSv1.2', request: request('/books/4', {}) });
    expect(out.secured).toBe(false);
    expect(out.error).toMatch(/version|alert|protocol|handshake|socket hang up|ECONNRESET/i);
    expect(app.requests).toEqual([]);
  });

  it('refuses a handshake without a client certificate, and one whose certificate is for an untrusted anchor', async () => {
    const proxy = await lockedReplica(4);
    const none = await tlsAttempt(proxy.addresses.inbound, { serverName: id.server, caDir: certs.web, request: request('/books/5', {}) });
    expect(statusCodes(Buffer.from(none.response, 'latin1'))).toEqual([]);
    const otherPki = await createTestPki();
    const stranger = await writeClientCertificate(otherPki, id.web);
    try {
      const untrusted = await tlsAttempt(proxy.addresses.inbound, { serverName: id.server, certDir: stranger, caDir: certs.web, request: request('/books/6', {}) });
      expect(statusCodes(Buffer.from(untrusted.response, 'latin1'))).toEqual([]);
    } finally {
      rmSync(stranger, { recursive: true, force: true });
    }
    expect(app.requests).toEqual([]);
  });

  it('answers a server name of another mesh identity with its own certificate, which a checking caller refuses', async () => {
    const proxy = await lockedReplica(5);
    const out = await tlsAttempt(proxy.addresses.inbound, { serverName: id.ledger, certDir: certs.web, caDir: certs.web, request: request('/books/7', {}) });
    expect(out.secured).toBe(false);
    expect(out.error).toMatch(/altnames|Hostname|does not match|certificate/i);
    expect(app.requests).toEqual([]);
  });

  it('does not let TLS for a name outside the mesh slip past HTTP authorization as a passthrough', async () => {
    const proxy = await lockedReplica(6);
    const out = await tlsAttempt(proxy.addresses.inbound, { serverName: 'catalog.example.com', certDir: certs.web, request: request('/books/8', {}) });
    expect(out.secured).toBe(false);
    expect(statusCodes(Buffer.from(out.response, 'latin1'))).toEqual([]);
    expect(app.requests).toEqual([]);
  });
});
