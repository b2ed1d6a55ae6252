import path from 'node:path';
import { PROXY_ERROR_HEADER } from '@meshviz/mesh-types';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyHandle } from '../proxy.js';
import { GRPC_CLIENT_SCRIPT, pythonWithGrpc, run, writeClientCertificate } from '../testing/client-tools.js';
import { startGrpcEcho } from '../testing/grpc-fixtures.js';
import { h2Connect, h2Send } from '../testing/h2-fixtures.js';
import { eventually, startUpstream, type Upstream } from '../testing/http-fixtures.js';
import { createTestPki, startTestIdentityService, type TestIdentityService, type TestPki } from '../testing/identity-fixtures.js';
import { scrape } from '../testing/mesh.js';
import {
  catalogPolicy,
  curl,
  ids,
  onlyIdentities,
  policyInForce,
  prefix,
  route,
  startReplica,
} from '../testing/policy-fixtures.js';
import { startTestPolicyService, type TestPolicyService } from '../testing/policy-service.js';
import { select, total } from '../testing/prom-text.js';
import { bearer, byRequest, observeTap } from '../testing/tap-client.js';

let pki: TestPki;
let identityService: TestIdentityService;
let policyService: TestPolicyService;
let app: Upstream;
let certs: { web: string; ledger: string };
let id: ReturnType<typeof ids>;
const proxies: ProxyHandle[] = [];

const replica = async (options: Omit<Parameters<typeof startReplica>[1], 'pki' | 'identityService'> = {}, forward = app.addr) => {
  const proxy = await startReplica(forward, { pki, identityService, ...options });
  proxies.push(proxy);
  return proxy;
};

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
  await Promise.all([app.close(), identityService.close(), policyService.close()]);
});

describe('HTTP authorization from the control plane policy', () => {
  it('lets curl with the allowed identity in, refuses another identity and plaintext with 403, and a path no route matches with 404; metrics exact', async () => {
    policyService.publish(
      catalogPolicy(1, app.port, { routes: [route('HTTPRoute', 'books', [prefix('/books')], [onlyIdentities('web-only', [id.web])])] }),
    );
    const proxy = await replica({ policyService });
    await policyInForce(proxy, 1);
    const inbound = proxy.addresses.inbound;

    const allowed = await curl(inbound, '/books/1', certs.web, id.server);
    expect(allowed.status).toBe(200);
    expect(allowed.body).toBe('hello /books/1');
    const other = await curl(inbound, '/books/2', certs.ledger, id.server);
    expect(other.status).toBe(403);
    expect(other.headers[PROXY_ERROR_HEADER]).toBe('unauthorized');
    const plain = await curl(inbound, '/books/3', undefined, id.server);
    expect(plain.status).toBe(403);
    expect(plain.headers[PROXY_ERROR_HEADER]).toBe('unauthorized');
    const lost = await curl(inbound, '/music', certs.web, id.server);
    expect(lost.status).toBe(404);
    expect(lost.headers[PROXY_ERROR_HEADER]).toBe('route_not_found');
    expect(app.requests.map((r) => r.url)).toEqual(['/books/1']);

    const m = await scrape(proxy);
    const srv = { srv_kind: 'server', srv_name: 'catalog-http', srv_port: String(app.port) };
    const books = { ...srv, route_kind: 'HTTPRoute', route_name: 'books' };
    expect(select(m, 'inbound_http_authz_allow_total')).toEqual([
      {
        name: 'inbound_http_authz_allow_total',
        labels: { ...books, authz_kind: 'authorizationpolicy', authz_name: 'web-only', tls: 'true' },
        value: 1,
      },
    ]);
    expect(select(m, 'inbound_http_authz_deny_total').map((s) => [s.labels, s.value])).toEqual(
      expect.arrayContaining([
        [{ ...books, client_id: id.ledger, tls: 'true' }, 1],
        [{ ...books, client_id: '', tls: 'no_identity', no_tls_reason: 'no_tls_from_remote' }, 1],
      ]),
    );
    expect(total(m, 'inbound_http_authz_deny_total')).toBe(2);
    expect(select(m, 'inbound_http_route_not_found_total').map((s) => [s.labels, s.value])).toEqual([
      [{ ...srv, route_kind: '', route_name: '' }, 1],
    ]);
    // The request families carry the decision: allowed under its authorization, refused with authz_* empty.
    const inbound1 = { direction: 'inbound', ...books };
    expect(total(m, 'request_total', { ...inbound1, authz_kind: 'authorizationpolicy', authz_name: 'web-only', client_id: id.web })).toBe(1);
    expect(total(m, 'response_total', { ...inbound1, authz_name: 'web-only', status_code: '200', classification: 'success' })).toBe(1);
    expect(total(m, 'response_total', { ...inbound1, authz_kind: '', authz_name: '', status_code: '403', error: 'unauthorized', classification: 'success' })).toBe(2);
    expect(total(m, 'response_latency_ms_count', { ...inbound1, authz_name: '', status_code: '403' })).toBe(2);
    expect(total(m, 'response_total', { direction: 'inbound', ...srv, route_name: '', status_code: '404', error: 'route_not_found' })).toBe(1);
    expect(total(m, 'request_total', { direction: 'inbound' })).toBe(4);
    expect(select(m, 'inbound_policy_info').map((s) => [s.labels, s.value])).toEqual([[{ revision: '1', source: 'control' }, 1]]);
  });

  it('answers a Python grpcio client PERMISSION_DENIED and serves the identity its GRPCRoute allows', async (ctx) => {
    const python = pythonWithGrpc();
    if (!python) return ctx.skip('python3-grpcio is not installed (apt-get install python3-grpcio)');
    const grpcApp = await startGrpcEcho();
    try {
      const port = Number(grpcApp.addr.split(':')[1]);
      const echo = route('GRPCRoute', 'echo', [{ grpc: { service: 'test.Echo' }, headers: [] }], [onlyIdentities('ledger-only', [id.ledger])]);
      policyService.publish(catalogPolicy(2, port, { routes: [echo] }));
      const proxy = await replica({ policyService }, grpcApp.addr);
      await policyInForce(proxy, 2);
      const call = async (dir: string) => {
        const files = ['ca.pem', 'chain.pem', 'key.pem'].map((f) => path.join(dir, f));
        const { stdout, stderr } = await run(python, [GRPC_CLIENT_SCRIPT, proxy.addresses.inbound, 'catalog.bookshop', ...files, id.server], '');
        if (!stdout) throw new Error(stderr);
        return JSON.parse(stdout) as Record<string, { reply?: string; code?: number; details?: string }>;
      };
      const refused = await call(certs.web);
      expect(refused.unary).toMatchObject({ code: 7 });
      expect(refused.unary?.details).toContain('unauthorized');
      expect(refused.failed).toMatchObject({ code: 7 });
      expect(refused.stream).toMatchObject({ code: 7 });
      const served = await call(certs.ledger);
      expect(served.unary).toMatchObject({ reply: 'echo:from-python' });
      expect(served.failed).toMatchObject({ code: 13 });

      const m = await scrape(proxy);
      const echoSrv = { srv_kind: 'server', srv_name: 'catalog-http', srv_port: String(port), route_kind: 'GRPCRoute', route_name: 'echo' };
      expect(total(m, 'inbound_http_authz_deny_total', { ...echoSrv, client_id: id.web, tls: 'true' })).toBe(3);
      expect(total(m, 'inbound_http_authz_allow_total', { ...echoSrv, authz_name: 'ledger-only', tls: 'true' })).toBe(3);
      expect(total(m, 'response_total', { direction: 'inbound', grpc_status: '7', error: 'unauthorized', client_id: id.web })).toBe(3);
    } finally {
      await grpcApp.close();
    }
  });

  it('shows the decision in tap: server, route, authorization, and why a refused client was refused', async () => {
    policyService.publish(
      catalogPolicy(3, app.port, { routes: [route('HTTPRoute', 'books', [prefix('/books')], [onlyIdentities('web-only', [id.web])])] }),
    );
    const proxy = await replica({ policyService, config: { tapToken: 'tap' } });
    await policyInForce(proxy, 3);
    const stream = observeTap(proxy.addresses.tap, { maxRps: 100, match: { direction: 'inbound' } }, bearer('tap'));
    try {
      await eventually(() => expect(proxy.tap.size).toBe(1));
      expect((await curl(proxy.addresses.inbound, '/books/ok', certs.web, id.server)).status).toBe(200);
      expect((await curl(proxy.addresses.inbound, '/books/no', certs.ledger, id.server)).status).toBe(403);
      await eventually(() => expect([...byRequest(stream.events).values()].filter((e) => e.length === 3)).toHaveLength(2));
      const [ok, no] = [...byRequest(stream.events).values()];
      expect(ok!.map((e) => e.authz)).toEqual(
        Array(3).fill({ denied: false, server: 'server/catalog-http', route: 'HTTPRoute/books', authorization: 'authorizationpolicy/web-only', reason: '' }),
      );
      expect(no![0]!.authz).toEqual({
        denied: true,
        server: 'server/catalog-http',
        route: 'HTTPRoute/books',
        authorization: '',
        reason: `no authorization of server/catalog-http allows client ${id.ledger} from 127.0.0.1`,
      });
    } finally {
      stream.cancel();
    }
  });
});

describe('HTTP authorization by the default policy (no policy service)', () => {
  it('all-authenticated: refuses plaintext (403) and serves mTLS', async () => {
    const proxy = await replica({ policy: { defaultPolicy: 'all-authenticated' } });
    const plain = await curl(proxy.addresses.inbound, '/x', undefined, id.server);
    expect(plain.status).toBe(403);
    expect(plain.headers[PROXY_ERROR_HEADER]).toBe('unauthorized');
    expect((await curl(proxy.addresses.inbound, '/y', certs.ledger, id.server)).status).toBe(200);
    const m = await scrape(proxy);
    const srv = { srv_kind: 'default', srv_name: 'all-authenticated', srv_port: String(app.port), route_kind: 'default', route_name: 'default' };
    expect(select(m, 'inbound_http_authz_allow_total').map((s) => [s.labels, s.value])).toEqual([
      [{ ...srv, authz_kind: 'default', authz_name: 'default:all-authenticated', tls: 'true' }, 1],
    ]);
    expect(select(m, 'inbound_http_authz_deny_total').map((s) => [s.labels, s.value])).toEqual([
      [{ ...srv, client_id: '', tls: 'no_identity', no_tls_reason: 'no_tls_from_remote' }, 1],
    ]);
    expect(select(m, 'inbound_policy_info').map((s) => [s.labels, s.value])).toEqual([[{ revision: '', source: 'default' }, 1]]);
    expect(app.requests.map((r) => r.url)).toEqual(['/y']);
  });

  it('all-authenticated over plaintext HTTP/2: 403 for a request, a trailers-only PERMISSION_DENIED for gRPC', async () => {
    const grpcApp = await startGrpcEcho();
    const proxy = await replica({ policy: { defaultPolicy: 'all-authenticated' } }, grpcApp.addr);
    const session = h2Connect(proxy.addresses.inbound);
    try {
      const plain = await h2Send(session, { headers: { ':path': '/x', ':authority': 'catalog.bookshop' } });
      expect(plain.status).toBe(403);
      expect(plain.headers[PROXY_ERROR_HEADER]).toBe('unauthorized');
      const grpcCall = await h2Send(session, {
        headers: { ':method': 'POST', ':path': '/test.Echo/Unary', ':authority': 'catalog.bookshop', 'content-type': 'application/grpc', te: 'trailers' },
        body: Buffer.from([0, 0, 0, 0, 0]),
      });
      expect(grpcCall.status).toBe(200);
      expect(grpcCall.headers['grpc-status']).toBe('7');
      expect(grpcCall.headers['grpc-message']).toContain('unauthorized');
      expect(grpcCall.body.length).toBe(0);
      expect(grpcCall.trailers).toEqual({});
      const m = await scrape(proxy);
      expect(total(m, 'inbound_http_authz_deny_total', { srv_name: 'all-authenticated', client_id: '', no_tls_reason: 'no_tls_from_remote' })).toBe(2);
      expect(total(m, 'response_total', { direction: 'inbound', status_code: '200', grpc_status: '7', error: 'unauthorized' })).toBe(1);
    } finally {
      session.close();
      await grpcApp.close();
    }
  });

  it('deny: only GET of the probe paths passes, from anyone', async () => {
    const proxy = await replica({ policy: { defaultPolicy: 'deny', probePaths: ['/healthz'] } });
    expect((await curl(proxy.addresses.inbound, '/healthz', undefined, id.server)).status).toBe(200);
    expect((await curl(proxy.addresses.inbound, '/healthz', undefined, id.server, 'POST')).status).toBe(403);
    expect((await curl(proxy.addresses.inbound, '/x', certs.web, id.server)).status).toBe(403);
    const m = await scrape(proxy);
    expect(select(m, 'inbound_http_authz_allow_total').map((s) => [s.labels, s.value])).toEqual([
      [
        {
          srv_kind: 'default',
          srv_name: 'deny',
          srv_port: String(app.port),
          route_kind: 'default',
          route_name: 'probe',
          authz_kind: 'default',
          authz_name: 'default:probe',
          tls: 'no_identity',
        },
        1,
      ],
    ]);
    expect(total(m, 'inbound_http_authz_deny_total', { route_name: 'default' })).toBe(2);
    expect(app.requests.map((r) => r.url)).toEqual(['/healthz']);
  });

  it('audit: lets everyone in and counts them under the audit authorization', async () => {
    const proxy = await replica({ policy: { defaultPolicy: 'audit' } });
    expect((await curl(proxy.addresses.inbound, '/a', undefined, id.server)).status).toBe(200);
    expect((await curl(proxy.addresses.inbound, '/b', certs.web, id.server)).status).toBe(200);
    const m = await scrape(proxy);
    const audit = { srv_kind: 'default', srv_name: 'audit', route_name: 'default', authz_kind: 'audit', authz_name: 'audit' };
    expect(total(m, 'inbound_http_authz_allow_total', { ...audit, tls: 'no_identity' })).toBe(1);
    expect(total(m, 'inbound_http_authz_allow_total', { ...audit, tls: 'true' })).toBe(1);
    expect(total(m, 'inbound_http_authz_deny_total')).toBe(0);
    expect(total(m, 'request_total', { direction: 'inbound', authz_kind: 'audit' })).toBe(2);
  });
});
