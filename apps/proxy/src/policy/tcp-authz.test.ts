import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import path from 'node:path';
import tls from 'node:tls';
import { TRANSPORT_ALPN } from '@meshviz/mesh-types';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyHandle } from '../proxy.js';
import { writeClientCertificate } from '../testing/client-tools.js';
import { startUpstream } from '../testing/http-fixtures.js';
import { createTestPki, startTestIdentityService, type TestIdentityService, type TestPki } from '../testing/identity-fixtures.js';
import { scrape } from '../testing/mesh.js';
import { authorization, catalogPolicy, curl, ids, onlyIdentities, policyInForce, prefix, route, startReplica } from '../testing/policy-fixtures.js';
import { startTestPolicyService, type TestPolicyService } from '../testing/policy-service.js';
import { select, total } from '../testing/prom-text.js';
import { type Exchange, startTcpServer, type TcpServer, talk } from '../testing/tcp-fixtures.js';

let pki: TestPki;
let identityService: TestIdentityService;
let policyService: TestPolicyService;
let id: ReturnType<typeof ids>;
let certs: { web: string; ledger: string };
/** An echo app that records every connection and every byte it receives. */
let app: TcpServer;
let received: Buffer[];
let connections: number;
const proxies: ProxyHandle[] = [];

beforeAll(async () => {
  pki = await createTestPki();
  id = ids(pki);
  identityService = await startTestIdentityService(pki);
  policyService = await startTestPolicyService(pki);
  certs = { web: await writeClientCertificate(pki, id.web), ledger: await writeClientCertificate(pki, id.ledger) };
  app = await startTcpServer((socket: Socket) => {
    connections += 1;
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      socket.write(chunk);
    });
    socket.on('end', () => socket.end());
  });
});
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((p) => p.shutdown()));
});
afterAll(async () => {
  await Promise.all([app.close(), identityService.close(), policyService.close()]);
});

const reset = (): void => {
  received = [];
  connections = 0;
};

/** The transport protocol over mTLS, as another proxy's outbound side opens it, presenting the certificate in `dir`. */
function mtlsTalk(inbound: string, dir: string, payload: Buffer): Promise<Exchange> {
  const [host, port] = [inbound.slice(0, inbound.lastIndexOf(':')), Number(inbound.slice(inbound.lastIndexOf(':') + 1))];
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const started = performance.now();
    let firstByteMs = Number.NaN;
    let ending = 'close';
    const socket = tls.connect({
      host,
      port,
      servername: id.server,
      ca: readFileSync(path.join(dir, 'ca.pem')),
      cert: readFileSync(path.join(dir, 'chain.pem')),
      key: readFileSync(path.join(dir, 'key.pem')),
      ALPNProtocols: [TRANSPORT_ALPN],
      minVersion: 'TLSv1.3',
      checkServerIdentity: () => undefined,
    });
    socket.on('secureConnect', () => socket.write(payload));
    socket.on('data', (c: Buffer) => {
      if (chunks.length === 0) firstByteMs = performance.now() - started;
      chunks.push(c);
      if (Buffer.concat(chunks).length >= payload.length) socket.end();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      ending = e.code ?? 'error';
    });
    socket.on('end', () => {
      ending = 'end';
    });
    socket.on('close', () => resolve({ data: Buffer.concat(chunks), ending, firstByteMs }));
  });
}

const opaqueEntry = (name: string) => ({
  protocol: 'opaque' as const,
  server: { kind: 'server' as const, name },
  authorizations: [onlyIdentities('web-only', [id.web])],
});

describe('opaque TCP authorization', () => {
  it('closes a raw plaintext client at once on a port the policy makes opaque: not a byte reaches the app', async () => {
    reset();
    policyService.publish(catalogPolicy(1, app.port, opaqueEntry('catalog-tcp')));
    const proxy = await startReplica(app.addr, { pki, identityService, policyService });
    proxies.push(proxy);
    await policyInForce(proxy, 1);
    const started = performance.now();
    const refused = await talk(proxy.addresses.inbound, Buffer.from('*1\r\n$4\r\nPING\r\n'));
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(refused.data.length).toBe(0);
    expect(connections).toBe(0);
    expect(received).toEqual([]);
    const m = await scrape(proxy);
    const srv = { srv_kind: 'server', srv_name: 'catalog-tcp', srv_port: String(app.port) };
    expect(select(m, 'inbound_tcp_authz_deny_total').map((s) => [s.labels, s.value])).toEqual([
      [{ ...srv, client_id: '', tls: 'no_identity', no_tls_reason: 'no_tls_from_remote' }, 1],
    ]);
    expect(total(m, 'inbound_tcp_authz_allow_total')).toBe(0);
  });

  it('tunnels for the allowed identity and closes another identity holding a valid certificate', async () => {
    reset();
    policyService.publish(catalogPolicy(2, app.port, opaqueEntry('catalog-tcp')));
    const proxy = await startReplica(app.addr, { pki, identityService, policyService });
    proxies.push(proxy);
    await policyInForce(proxy, 2);
    const payload = Buffer.from('x'.repeat(10_000));
    const allowed = await mtlsTalk(proxy.addresses.inbound, certs.web, payload);
    expect(allowed.data.equals(payload)).toBe(true);
    const refused = await mtlsTalk(proxy.addresses.inbound, certs.ledger, Buffer.from('secret bytes'));
    expect(refused.data.length).toBe(0);
    expect(connections).toBe(1);
    expect(Buffer.concat(received).toString()).not.toContain('secret');
    const m = await scrape(proxy);
    const srv = { srv_kind: 'server', srv_name: 'catalog-tcp', srv_port: String(app.port) };
    expect(select(m, 'inbound_tcp_authz_allow_total').map((s) => [s.labels, s.value])).toEqual([
      [{ ...srv, authz_kind: 'authorizationpolicy', authz_name: 'web-only', tls: 'true' }, 1],
    ]);
    expect(select(m, 'inbound_tcp_authz_deny_total').map((s) => [s.labels, s.value])).toEqual([
      [{ ...srv, client_id: id.ledger, tls: 'true' }, 1],
    ]);
  });

  it('on a port opaque by configuration, applies the default policy once per connection', async () => {
    reset();
    const proxy = await startReplica(app.addr, {
      pki,
      identityService,
      policy: { defaultPolicy: 'all-authenticated' },
      config: { opaquePorts: new Set([app.port]) },
    });
    proxies.push(proxy);
    expect((await talk(proxy.addresses.inbound, Buffer.from('GET / HTTP/1.1\r\n\r\n'))).data.length).toBe(0);
    expect((await mtlsTalk(proxy.addresses.inbound, certs.ledger, Buffer.from('hi'))).data.toString()).toBe('hi');
    expect(connections).toBe(1);
    const m = await scrape(proxy);
    expect(total(m, 'inbound_tcp_authz_allow_total', { srv_kind: 'default', srv_name: 'all-authenticated', authz_name: 'default:all-authenticated', tls: 'true' })).toBe(1);
    expect(total(m, 'inbound_tcp_authz_deny_total', { srv_kind: 'default', client_id: '', tls: 'no_identity' })).toBe(1);
  });

  it('on a detecting port, checks HTTP per route and what is not HTTP against the port authorizations', async () => {
    reset();
    const http = await startUpstream((req, res) => res.end(`hello ${req.url}`));
    try {
      // One app port: HTTP requests anyone may make; the port itself (opaque connections) only for web.
      const entry = {
        routes: [route('HTTPRoute', 'all', [prefix('/')], [authorization('anyone')])],
        authorizations: [onlyIdentities('web-only', [id.web])],
      };
      policyService.publish(catalogPolicy(3, http.port, entry));
      const proxy = await startReplica(http.addr, { pki, identityService, policyService });
      proxies.push(proxy);
      await policyInForce(proxy, 3);
      expect((await curl(proxy.addresses.inbound, '/plain-http', undefined, id.server)).status).toBe(200);
      const binary = await talk(proxy.addresses.inbound, Buffer.from([0x16, 0x00, 0x01, 0x02]));
      expect(binary.data.length).toBe(0);
      expect(http.connections.size).toBe(1);
      const m = await scrape(proxy);
      expect(total(m, 'inbound_tcp_authz_deny_total', { srv_name: 'catalog-http', client_id: '' })).toBe(1);
      expect(total(m, 'inbound_http_authz_allow_total', { route_name: 'all', authz_name: 'anyone', tls: 'no_identity' })).toBe(1);
    } finally {
      await http.close();
    }
  });
});
