import { createHash, X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { Duplex } from 'node:stream';
import tls from 'node:tls';
import { PROXY_ERROR_HEADER } from '@meshviz/mesh-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyConfig } from '../config.js';
import { GRPC_CLIENT_SCRIPT, pythonWithGrpc, run, writeClientCertificate } from '../testing/client-tools.js';
import { startGrpcEcho } from '../testing/grpc-fixtures.js';
import { h2Connect, h2Send, startH2Upstream } from '../testing/h2-fixtures.js';
import { eventually, getText, send, startUpstream, type Upstream } from '../testing/http-fixtures.js';
import {
  createTestPki,
  proxyIdentityConfig,
  waitReady as ready,
  startTestIdentityService,
  type TestIdentityService,
  type TestPki,
  testIdentity,
} from '../testing/identity-fixtures.js';
import { CATALOG, type Mesh, scrape, startMesh } from '../testing/mesh.js';
import { select, total } from '../testing/prom-text.js';
import { echo, startTcpServer, talk } from '../testing/tcp-fixtures.js';

let pki: TestPki;
let service: TestIdentityService;
let app: Upstream;
const CLIENT_ID = () => testIdentity('web', 'bookshop', pki);
const SERVER_ID = () => testIdentity('catalog', 'bookshop', pki);

/** A client proxy (identity web) calling one catalog replica (identity catalog) that discovery says is meshed. */
async function meshed(options: { discovery?: string; replica?: Partial<ProxyConfig>; client?: Partial<ProxyConfig> } = {}): Promise<Mesh> {
  const mesh = await startMesh({
    apps: [app.addr],
    client: { identity: proxyIdentityConfig(service, pki, CLIENT_ID()), ...options.client },
    replicaAt: () => ({ identity: proxyIdentityConfig(service, pki, SERVER_ID()), ...options.replica }),
    endpointIdentity: () => options.discovery ?? SERVER_ID(),
  });
  await Promise.all([mesh.client, ...mesh.replicas].map((p) => ready(p)));
  return mesh;
}

beforeAll(async () => {
  pki = await createTestPki();
  service = await startTestIdentityService(pki);
  app = await startUpstream((req, res) => {
    res.setHeader('x-seen-client-tls', String(req.headers['x-meshviz-client-id'] ?? ''));
    res.end(`hello ${req.url}`);
  });
});
afterAll(async () => {
  await app.close();
  await service.close();
});

describe('mTLS between proxies', () => {
  it('secures an HTTP/1.1 hop and labels both sides with the peer identity', async () => {
    const mesh = await meshed();
    try {
      const reply = await send(mesh.client.addresses.outbound, { path: '/books', headers: { host: CATALOG } });
      expect(reply.status).toBe(200);
      expect(reply.body.toString()).toBe('hello /books');
      const out = await scrape(mesh.client);
      expect(total(out, 'request_total', { direction: 'outbound', tls: 'true', server_id: SERVER_ID() })).toBe(1);
      expect(total(out, 'tcp_open_total', { direction: 'outbound', peer: 'dst', tls: 'true', server_id: SERVER_ID() })).toBe(1);
      expect(total(out, 'tcp_open_total', { direction: 'outbound', peer: 'src', tls: 'no_identity', no_tls_reason: 'loopback' })).toBe(1);
      const inb = await scrape(mesh.replicas[0]!);
      expect(total(inb, 'request_total', { direction: 'inbound', tls: 'true', client_id: CLIENT_ID() })).toBe(1);
      expect(total(inb, 'tcp_open_total', { direction: 'inbound', peer: 'src', tls: 'true', client_id: CLIENT_ID() })).toBe(1);
      expect(total(inb, 'tcp_open_total', { direction: 'inbound', peer: 'dst', no_tls_reason: 'loopback' })).toBe(1);
      expect(select(out, 'identity_cert_expiration_timestamp_seconds')[0]?.value).toBeGreaterThan(Date.now() / 1000);
      expect(total(out, 'identity_cert_refresh_count')).toBe(1);
      const issuerSha = new X509Certificate(pki.issuer.certPem).fingerprint256.replaceAll(':', '').toLowerCase();
      expect(total(out, 'identity_cert_info', { identity: CLIENT_ID(), issuer_sha256: issuerSha })).toBe(1);
    } finally {
      await mesh.close();
    }
  });

  it('reuses the connection: one handshake for many requests', async () => {
    const mesh = await meshed();
    try {
      const agent = new (await import('node:http')).Agent({ keepAlive: true, maxSockets: 1 });
      for (let i = 0; i < 20; i++) {
        expect((await send(mesh.client.addresses.outbound, { path: `/${i}`, headers: { host: CATALOG }, agent })).status).toBe(200);
      }
      agent.destroy();
      const inb = await scrape(mesh.replicas[0]!);
      expect(total(inb, 'request_total', { direction: 'inbound', tls: 'true' })).toBe(20);
      expect(total(inb, 'tcp_open_total', { direction: 'inbound', peer: 'src', tls: 'true' })).toBe(1);
    } finally {
      await mesh.close();
    }
  });

  it('carries HTTP/2 over mTLS (ALPN h2)', async () => {
    const h2app = await startH2Upstream((stream) => {
      stream.respond({ ':status': 200 });
      stream.end('h2 hello');
    });
    const mesh = await startMesh({
      apps: [h2app.addr],
      client: { identity: proxyIdentityConfig(service, pki, CLIENT_ID()) },
      replicaAt: () => ({ identity: proxyIdentityConfig(service, pki, SERVER_ID()) }),
      endpointIdentity: () => SERVER_ID(),
    });
    try {
      await Promise.all([mesh.client, ...mesh.replicas].map((p) => ready(p)));
      const session = h2Connect(mesh.client.addresses.outbound);
      const reply = await h2Send(session, { headers: { ':authority': CATALOG, ':path': '/h2' } });
      session.close();
      expect(reply.status).toBe(200);
      const inb = await scrape(mesh.replicas[0]!);
      expect(total(inb, 'request_total', { direction: 'inbound', tls: 'true', client_id: CLIENT_ID() })).toBe(1);
    } finally {
      await mesh.close();
      await h2app.close();
    }
  });

  it('carries opaque TCP over mTLS with its bytes intact', async () => {
    const tcpApp = await startTcpServer(echo);
    const port = 20000 + Math.floor(Math.random() * 20000);
    const mesh = await startMesh({
      apps: [tcpApp.addr],
      client: {
        identity: proxyIdentityConfig(service, pki, CLIENT_ID()),
        outboundTcpTargets: [{ port, authority: `${CATALOG}:6379` }],
      },
      replicaAt: () => ({ identity: proxyIdentityConfig(service, pki, SERVER_ID()) }),
      endpointIdentity: () => SERVER_ID(),
    });
    try {
      await Promise.all([mesh.client, ...mesh.replicas].map((p) => ready(p)));
      const payload = Buffer.from('*1\r\n$4\r\nPING\r\n'.repeat(1000));
      const exchange = await talk(`127.0.0.1:${port}`, payload, { halfClose: true });
      expect(exchange.data.equals(payload)).toBe(true);
      const inb = await scrape(mesh.replicas[0]!);
      expect(total(inb, 'tcp_open_total', { direction: 'inbound', peer: 'src', tls: 'true', client_id: CLIENT_ID() })).toBe(1);
    } finally {
      await mesh.close();
      await tcpApp.close();
    }
  });

  it('carries a WebSocket (HTTP/1.1 upgrade) over mTLS, bytes both ways after the 101', async () => {
    const wsApp = await startUpstream((_req, res) => res.end('no upgrade'));
    wsApp.server.on('upgrade', (req: IncomingMessage, socket: net.Socket) => {
      const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
      socket.pipe(socket);
    });
    const mesh = await startMesh({
      apps: [wsApp.addr],
      client: { identity: proxyIdentityConfig(service, pki, CLIENT_ID()) },
      replicaAt: () => ({ identity: proxyIdentityConfig(service, pki, SERVER_ID()) }),
      endpointIdentity: () => SERVER_ID(),
    });
    try {
      await Promise.all([mesh.client, ...mesh.replicas].map((p) => ready(p)));
      const [host, port] = mesh.client.addresses.outbound.split(':');
      const socket = net.connect(Number(port), host);
      const received: Buffer[] = [];
      socket.on('data', (c: Buffer) => received.push(c));
      socket.write(
        `GET /ws HTTP/1.1\r\nHost: ${CATALOG}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      );
      await eventually(() => expect(Buffer.concat(received).toString()).toContain('\r\n\r\n'));
      expect(Buffer.concat(received).toString()).toMatch(/^HTTP\/1\.1 101/);
      received.length = 0;
      socket.write('ping over the tunnel');
      await eventually(() => expect(Buffer.concat(received).toString()).toBe('ping over the tunnel'));
      socket.destroy();
      const inb = await scrape(mesh.replicas[0]!);
      expect(total(inb, 'tcp_open_total', { direction: 'inbound', peer: 'src', tls: 'true', client_id: CLIENT_ID() })).toBe(1);
    } finally {
      await mesh.close();
      await wsApp.close();
    }
  });

  it('still serves plaintext from an unmeshed client, labelled no_tls_from_remote', async () => {
    const mesh = await meshed();
    try {
      const reply = await send(mesh.replicas[0]!.addresses.inbound, { path: '/plain', headers: { host: CATALOG } });
      expect(reply.status).toBe(200);
      const inb = await scrape(mesh.replicas[0]!);
      expect(total(inb, 'request_total', { direction: 'inbound', tls: 'no_identity', no_tls_reason: 'no_tls_from_remote' })).toBe(1);
    } finally {
      await mesh.close();
    }
  });
});

describe('mTLS failures', () => {
  it('refuses a valid certificate for another identity: 502 tls_identity_mismatch', async () => {
    const mesh = await meshed({ discovery: testIdentity('ledger', 'billing', pki) });
    try {
      const reply = await send(mesh.client.addresses.outbound, { path: '/x', headers: { host: CATALOG } });
      expect(reply.status).toBe(502);
      expect(reply.headers[PROXY_ERROR_HEADER]).toBe('tls_identity_mismatch');
      expect(reply.body.toString()).toContain('tls_identity_mismatch');
      const out = await scrape(mesh.client);
      expect(total(out, 'response_total', { direction: 'outbound', error: 'tls_identity_mismatch' })).toBe(1);
      expect(app.requests.some((r) => r.url === '/x')).toBe(false);
    } finally {
      await mesh.close();
    }
  });

  it('refuses a peer certified under another trust anchor: 502 tls_untrusted', async () => {
    const otherPki = await createTestPki();
    const other = await startTestIdentityService(otherPki);
    const mesh = await startMesh({
      apps: [app.addr],
      client: { identity: proxyIdentityConfig(service, pki, CLIENT_ID()) },
      replicaAt: () => ({ identity: proxyIdentityConfig(other, otherPki, SERVER_ID()) }),
      endpointIdentity: () => SERVER_ID(),
    });
    try {
      await Promise.all([mesh.client, ...mesh.replicas].map((p) => ready(p)));
      const reply = await send(mesh.client.addresses.outbound, { path: '/y', headers: { host: CATALOG } });
      expect(reply.status).toBe(502);
      expect(reply.headers[PROXY_ERROR_HEADER]).toBe('tls_untrusted');
      // The other way round the server refuses the client's certificate.
      const inb = await scrape(mesh.replicas[0]!);
      expect(total(inb, 'request_total', { direction: 'inbound' })).toBe(0);
    } finally {
      await mesh.close();
      await other.close();
    }
  });

  it('refuses an expired leaf: 502 tls_untrusted, and the server keeps serving others', async () => {
    const shortLived = await startTestIdentityService(pki, 1_500);
    const mesh = await startMesh({
      apps: [app.addr],
      client: { identity: proxyIdentityConfig(service, pki, CLIENT_ID()) },
      replicaAt: () => ({ identity: proxyIdentityConfig(shortLived, pki, SERVER_ID()) }),
      endpointIdentity: () => SERVER_ID(),
    });
    try {
      await Promise.all([mesh.client, ...mesh.replicas].map((p) => ready(p)));
      shortLived.down = true; // no renewal: the replica's leaf runs out
      await new Promise((r) => setTimeout(r, 2_000));
      const reply = await send(mesh.client.addresses.outbound, { path: '/z', headers: { host: CATALOG } });
      expect(reply.status).toBe(502);
      expect(reply.headers[PROXY_ERROR_HEADER]).toBe('tls_untrusted');
      expect((await send(mesh.replicas[0]!.addresses.inbound, { path: '/plain', headers: { host: CATALOG } })).status).toBe(200);
    } finally {
      await mesh.close();
      await shortLived.close();
    }
  });

  it('refuses plaintext on a port that requires identity, and serves mTLS there', async () => {
    const mesh = await meshed({ replica: { portsRequireIdentity: new Set([app.port]) } });
    try {
      const plain = await send(mesh.replicas[0]!.addresses.inbound, { path: '/refused-plain', headers: { host: CATALOG } });
      expect(plain.status).toBe(403);
      expect(plain.headers[PROXY_ERROR_HEADER]).toBe('tls_required');
      expect(plain.body.toString()).toContain('accepts only mutual TLS');
      const h2 = await talk(mesh.replicas[0]!.addresses.inbound, Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'));
      expect(h2.data.length).toBe(0);
      expect(app.requests.some((r) => r.url === '/refused-plain')).toBe(false);
      expect((await send(mesh.client.addresses.outbound, { path: '/meshed', headers: { host: CATALOG } })).status).toBe(200);
    } finally {
      await mesh.close();
    }
  });

  it('closes a client that starts TLS and stalls, after the handshake timeout, and serves others meanwhile', async () => {
    const mesh = await meshed({ replica: { tlsHandshakeTimeoutMs: 500 } });
    try {
      // A real ClientHello for the replica's identity, then silence.
      const hello = await clientHelloFor(SERVER_ID());
      const stalled = talk(mesh.replicas[0]!.addresses.inbound, hello);
      expect((await send(mesh.client.addresses.outbound, { path: '/ok', headers: { host: CATALOG } })).status).toBe(200);
      const started = performance.now();
      const result = await stalled;
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(result.data.length).toBeLessThan(4096); // at most the server's first flight, never a response
    } finally {
      await mesh.close();
    }
  });

  it('is not ready until certified, certifies once the identity service is up, and keeps serving while it is down', async () => {
    const flaky = await startTestIdentityService(pki);
    flaky.down = true;
    const mesh = await startMesh({
      apps: [app.addr],
      client: { identity: proxyIdentityConfig(service, pki, CLIENT_ID()) },
      replicaAt: () => ({ identity: proxyIdentityConfig(flaky, pki, SERVER_ID()) }),
      endpointIdentity: () => SERVER_ID(),
    });
    try {
      await ready(mesh.client);
      await new Promise((r) => setTimeout(r, 300));
      expect((await getText(mesh.replicas[0]!.addresses.admin, '/ready')).status).toBe(503);
      const before = await send(mesh.client.addresses.outbound, { path: '/early', headers: { host: CATALOG } });
      expect(before.status).toBe(502);
      expect(before.headers[PROXY_ERROR_HEADER]).toMatch(/^(tls_handshake_error|connection_reset)$/);
      flaky.down = false;
      await ready(mesh.replicas[0]!, 10_000);
      expect((await send(mesh.client.addresses.outbound, { path: '/late', headers: { host: CATALOG } })).status).toBe(200);
      flaky.down = true; // mid-run outage: current certificates keep serving
      expect((await send(mesh.client.addresses.outbound, { path: '/during', headers: { host: CATALOG } })).status).toBe(200);
      expect((await getText(mesh.replicas[0]!.addresses.admin, '/ready')).status).toBe(200);
    } finally {
      await mesh.close();
      await flaky.close();
    }
  });
});

describe('mTLS on the wire', () => {
  it('shows a relay between two proxies neither the path, a header value nor the body', async () => {
    const mesh = await meshed();
    const relayed: Buffer[] = [];
    const relay = net.createServer((down) => {
      const up = net.connect(Number(mesh.replicas[0]!.addresses.inbound.split(':')[1]), '127.0.0.1');
      down.on('data', (c: Buffer) => relayed.push(c));
      up.on('data', (c: Buffer) => relayed.push(c));
      down.pipe(up).pipe(down);
      down.on('error', () => up.destroy());
      up.on('error', () => down.destroy());
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
    const relayAddr = `127.0.0.1:${(relay.address() as net.AddressInfo).port}`;
    const file = path.join(mesh.dir, 'destinations.json');
    writeFileSync(
      file,
      JSON.stringify({
        services: {
          [CATALOG]: {
            namespace: 'bookshop',
            service: 'catalog',
            endpoints: [{ addr: relayAddr, namespace: 'bookshop', deployment: 'catalog', pod: 'catalog-0', identity: SERVER_ID() }],
          },
        },
      }),
    );
    try {
      const secretPath = '/very-secret-path-4711';
      const secretHeader = 'header-value-0815';
      const secretBody = 'body-text-1337';
      await eventually(async () => {
        const reply = await send(mesh.client.addresses.outbound, {
          method: 'POST',
          path: secretPath,
          headers: { host: CATALOG, 'x-secret': secretHeader },
          body: secretBody,
        });
        expect(reply.status).toBe(200);
        expect(relayed.length).toBeGreaterThan(0);
      }, 5_000);
      const wire = Buffer.concat(relayed).toString('latin1');
      expect(wire).not.toContain(secretPath);
      expect(wire).not.toContain(secretHeader);
      expect(wire).not.toContain(secretBody);
      expect(wire).not.toContain('hello');
    } finally {
      relay.close();
      await mesh.close();
    }
  });

  it('completes a handshake with openssl s_client holding a proxy certificate, and refuses one without', async () => {
    const mesh = await meshed();
    try {
      const dir = await writeClientCertificate(pki, CLIENT_ID());
      const connect = mesh.replicas[0]!.addresses.inbound;
      const request = `GET /from-openssl HTTP/1.1\r\nHost: ${CATALOG}\r\nConnection: close\r\n\r\n`;
      const base = ['s_client', '-connect', connect, '-servername', SERVER_ID(), '-CAfile', path.join(dir, 'ca.pem'), '-alpn', 'http/1.1', '-tls1_3', '-ign_eof', '-verify_return_error'];
      const withCert = await run('openssl', [...base, '-cert', path.join(dir, 'cert.pem'), '-cert_chain', path.join(dir, 'issuer.pem'), '-key', path.join(dir, 'key.pem')], request);
      expect(withCert.stdout).toContain('Verify return code: 0 (ok)');
      expect(withCert.stdout).toContain('hello /from-openssl');
      const without = await run('openssl', base, request);
      expect(without.stdout).not.toContain('hello /from-openssl');
      expect(`${without.stdout}${without.stderr}`).toMatch(/alert|certificate required|error|errno=/i); // refused: a TLS alert, or a reset (errno)
    } finally {
      await mesh.close();
    }
  });
});

/** The ClientHello Node's TLS client writes for `serverName`: the first bytes it sends on a fresh stream. */
function clientHelloFor(serverName: string): Promise<Buffer> {
  return new Promise((resolve) => {
    const sink = new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        resolve(Buffer.from(chunk));
        callback();
      },
    });
    const socket = tls.connect({ socket: sink, servername: serverName, rejectUnauthorized: false });
    socket.on('error', () => {});
    setTimeout(() => socket.destroy(), 200);
  });
}

describe('mTLS with clients of other implementations', () => {
  it('serves curl presenting a mesh certificate, and names it as the client', async () => {
    const mesh = await meshed();
    try {
      const dir = await writeClientCertificate(pki, CLIENT_ID());
      const [, port] = mesh.replicas[0]!.addresses.inbound.split(':');
      const curl = await run(
        'curl',
        [
          '-sS', '--fail-with-body', '--tlsv1.3', '--http1.1',
          '--resolve', `${SERVER_ID()}:${port}:127.0.0.1`,
          '--cacert', path.join(dir, 'ca.pem'),
          '--cert', path.join(dir, 'chain.pem'),
          '--key', path.join(dir, 'key.pem'),
          '-H', `host: ${CATALOG}`,
          `https://${SERVER_ID()}:${port}/from-curl`,
        ],
        '',
      );
      expect(curl.stdout).toBe('hello /from-curl');
      const inb = await scrape(mesh.replicas[0]!);
      expect(total(inb, 'request_total', { direction: 'inbound', tls: 'true', client_id: CLIENT_ID() })).toBe(1);
      // Without a client certificate the handshake is refused.
      const anonymous = await run('curl', ['-sS', '--resolve', `${SERVER_ID()}:${port}:127.0.0.1`, '--cacert', path.join(dir, 'ca.pem'), `https://${SERVER_ID()}:${port}/`], '');
      // The server refuses the handshake (an alert, or a reset before curl reads it): curl fails and gets no answer.
      expect(anonymous.code).not.toBe(0);
      expect(anonymous.stdout).not.toContain('hello');
    } finally {
      await mesh.close();
    }
  });

  it('serves Python grpcio over mutual TLS to the inbound side', async (ctx) => {
    const python = pythonWithGrpc();
    if (!python) return ctx.skip('python3-grpcio is not installed (apt-get install python3-grpcio)');
    const grpcApp = await startGrpcEcho();
    const mesh = await startMesh({
      apps: [grpcApp.addr],
      client: { identity: proxyIdentityConfig(service, pki, CLIENT_ID()) },
      replicaAt: () => ({ identity: proxyIdentityConfig(service, pki, SERVER_ID()) }),
      endpointIdentity: () => SERVER_ID(),
    });
    try {
      await Promise.all([mesh.client, ...mesh.replicas].map((p) => ready(p)));
      const dir = await writeClientCertificate(pki, CLIENT_ID());
      const script = GRPC_CLIENT_SCRIPT;
      const files = ['ca.pem', 'chain.pem', 'key.pem'].map((f) => path.join(dir, f));
      const { stdout } = await run(python, [script, mesh.replicas[0]!.addresses.inbound, CATALOG, ...files, SERVER_ID()], '');
      const result = JSON.parse(stdout) as Record<string, { reply?: string; code?: number; items?: string[] }>;
      expect(result.unary).toMatchObject({ reply: 'echo:from-python' });
      expect(result.failed).toMatchObject({ code: 13 });
      expect(result.stream?.items).toEqual(['item-0', 'item-1', 'item-2', 'item-3', 'item-4']);
      const inb = await scrape(mesh.replicas[0]!);
      expect(total(inb, 'request_total', { direction: 'inbound', tls: 'true', client_id: CLIENT_ID() })).toBe(3);
    } finally {
      await mesh.close();
      await grpcApp.close();
    }
  });
});
