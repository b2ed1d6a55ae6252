import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import path from 'node:path';
import tls, { type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_OPENING_PER_ENDPOINT } from '../h1/pool.js';
import { writeClientCertificate } from '../testing/client-tools.js';
import { send, startUpstream, type Upstream } from '../testing/http-fixtures.js';
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
import { total } from '../testing/prom-text.js';
import { startTestProxy } from '../testing/test-config.js';

let pki: TestPki;
let service: TestIdentityService;
let app: Upstream;
const CLIENT_ID = () => testIdentity('web', 'bookshop', pki);
const SERVER_ID = () => testIdentity('catalog', 'bookshop', pki);

beforeAll(async () => {
  pki = await createTestPki();
  service = await startTestIdentityService(pki);
  app = await startUpstream((req, res) => res.end(`hello ${req.url}`));
});
afterAll(async () => {
  await app.close();
  await service.close();
});

/**
 * A meshed endpoint of another implementation (node:https with the catalog identity) that records each handshake;
 * it answers after `delayMs` and, with `handshakeDelayMs`, starts each handshake that late (a busy peer).
 */
async function recordingEndpoint(delayMs: number, handshakeDelayMs = 0) {
  const dir = await writeClientCertificate(pki, SERVER_ID());
  const handshakes: { resumed: boolean; clientNames: string }[] = [];
  const requests: string[] = [];
  const server = https.createServer(
    {
      key: readFileSync(path.join(dir, 'key.pem')),
      cert: readFileSync(path.join(dir, 'chain.pem')),
      ca: pki.anchor.certPem,
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.3',
      ALPNProtocols: ['http/1.1'],
    },
    (req, res) => {
      requests.push(req.url ?? '');
      setTimeout(() => res.end('from the endpoint'), delayMs);
    },
  );
  server.on('secureConnection', (socket: TLSSocket) => {
    handshakes.push({ resumed: socket.isSessionReused(), clientNames: socket.getPeerCertificate().subjectaltname ?? '' });
  });
  const connections = { accepted: 0, waiting: 0, maxWaiting: 0 };
  const front = net.createServer((raw) => {
    connections.accepted += 1;
    connections.waiting += 1;
    connections.maxWaiting = Math.max(connections.maxWaiting, connections.waiting);
    setTimeout(() => {
      connections.waiting -= 1;
      server.emit('connection', raw);
    }, handshakeDelayMs);
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  return {
    addr: `127.0.0.1:${(front.address() as AddressInfo).port}`,
    handshakes,
    connections,
    get requests() {
      return [...requests].sort();
    },
    close: () => {
      front.close();
      server.close();
    },
  };
}

/** A client proxy whose discovery lists `endpoint` as the catalog service's one replica, meshed. */
async function clientOf(endpoint: { addr: string }): Promise<Mesh> {
  const mesh = await startMesh({ apps: [], client: { identity: proxyIdentityConfig(service, pki, CLIENT_ID()) } });
  await writeFile(
    path.join(mesh.dir, 'destinations.json'),
    JSON.stringify({
      services: {
        [CATALOG]: {
          namespace: 'bookshop',
          service: 'catalog',
          endpoints: [{ addr: endpoint.addr, namespace: 'bookshop', deployment: 'catalog', pod: 'catalog-0', identity: SERVER_ID() }],
        },
      },
    }),
  );
  await ready(mesh.client);
  // Until the outbound side has read the table, requests are answered 503 no_endpoints.
  expect(await eventuallyOk(mesh.client.addresses.outbound)).toBe('from the endpoint');
  return mesh;
}

describe('new connections to an endpoint', () => {
  it('are opened at most four at a time; the other requests wait for a connection that opens or comes free', async () => {
    const endpoint = await recordingEndpoint(0, 300);
    const mesh = await clientOf(endpoint);
    try {
      const replies = await Promise.all(
        Array.from({ length: 24 }, (_, i) => send(mesh.client.addresses.outbound, { path: `/${i}`, headers: { host: CATALOG } })),
      );
      expect(replies.map((reply) => reply.status)).toEqual(Array(24).fill(200));
      expect(MAX_OPENING_PER_ENDPOINT).toBe(4);
      expect(endpoint.connections.maxWaiting).toBeLessThanOrEqual(4);
      // The first four connections served most of the queue as they came free; one per request would be 24.
      expect(endpoint.connections.accepted).toBeLessThanOrEqual(12);
      const out = await scrape(mesh.client);
      // 24, and clientOf's first.
      expect(total(out, 'request_total', { direction: 'outbound', tls: 'true', server_id: SERVER_ID() })).toBe(25);
    } finally {
      await mesh.close();
      endpoint.close();
    }
  });

  it('a request whose client leaves while it waits is never sent', async () => {
    // Answers take a second, so neither the pooled connection nor the four being opened come free for the last two.
    const endpoint = await recordingEndpoint(1000, 300);
    const mesh = await clientOf(endpoint);
    try {
      const served = MAX_OPENING_PER_ENDPOINT + 1;
      const replies = Array.from({ length: served }, (_, i) => send(mesh.client.addresses.outbound, { path: `/w${i}`, headers: { host: CATALOG } }));
      // Two more clients send their request and leave with a reset while it waits (a FIN alone would be a half-close).
      const [host = '', port = '0'] = mesh.client.addresses.outbound.split(':');
      const leaving = [served, served + 1].map((i) => {
        const socket = net.connect({ host, port: Number(port) });
        socket.on('error', () => {});
        socket.write(`GET /w${i} HTTP/1.1\r\nHost: ${CATALOG}\r\n\r\n`);
        return socket;
      });
      await new Promise((r) => setTimeout(r, 100));
      for (const socket of leaving) socket.resetAndDestroy();
      expect((await Promise.all(replies)).map((reply) => reply.status)).toEqual(Array(served).fill(200));
      await new Promise((r) => setTimeout(r, 200));
      expect(endpoint.requests).toEqual(['/first', ...Array.from({ length: served }, (_, i) => `/w${i}`)].sort());
    } finally {
      await mesh.close();
      endpoint.close();
    }
  });
});

describe('TLS session resumption between proxies', () => {
  it('the outbound side offers the session of its last connection to the same endpoint, which resumes it', async () => {
    const endpoint = await recordingEndpoint(300);
    const mesh = await clientOf(endpoint);
    try {
      // clientOf's first request opened the first connection; two at once now need a second one.
      const replies = await Promise.all([0, 1].map((i) => send(mesh.client.addresses.outbound, { path: `/${i}`, headers: { host: CATALOG } })));
      expect(replies.map((reply) => reply.status)).toEqual([200, 200]);
      expect(endpoint.handshakes.map((h) => h.resumed)).toEqual([false, true]);
      // A resumed session still carries the client's certificate, so the endpoint knows who called.
      for (const handshake of endpoint.handshakes) expect(handshake.clientNames).toContain(`DNS:${CLIENT_ID()}`);
      const out = await scrape(mesh.client);
      expect(total(out, 'request_total', { direction: 'outbound', tls: 'true', server_id: SERVER_ID() })).toBe(3);
    } finally {
      await mesh.close();
      endpoint.close();
    }
  });

  it('the inbound side resumes a session it issued and still names the client by its certificate', async () => {
    const replica = await startTestProxy(app.addr, { identity: proxyIdentityConfig(service, pki, SERVER_ID()) });
    try {
      await ready(replica);
      const dir = await writeClientCertificate(pki, CLIENT_ID());
      const options = {
        key: readFileSync(path.join(dir, 'key.pem')),
        cert: readFileSync(path.join(dir, 'chain.pem')),
        ca: pki.anchor.certPem,
        servername: SERVER_ID(),
        ALPNProtocols: ['http/1.1'],
        minVersion: 'TLSv1.3' as const,
      };
      const first = await exchange(replica.addresses.inbound, options);
      expect(first.resumed).toBe(false);
      expect(first.session).toBeDefined();
      const second = await exchange(replica.addresses.inbound, { ...options, session: first.session });
      expect(second.resumed).toBe(true);
      for (const reply of [first, second]) expect(reply.text).toMatch(/^HTTP\/1\.1 200 [\s\S]*hello \/resume$/);
      const inb = await scrape(replica);
      expect(total(inb, 'request_total', { direction: 'inbound', tls: 'true', client_id: CLIENT_ID() })).toBe(2);
    } finally {
      await replica.shutdown();
    }
  });
});

/** Sends requests until the outbound side has read its destinations file (the first answers may be 503). */
async function eventuallyOk(outbound: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const reply = await send(outbound, { path: '/first', headers: { host: CATALOG } });
    if (reply.status === 200) return reply.body.toString();
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the outbound side never reached the endpoint');
}

/** One request over its own mTLS connection; the session the server issued comes back for the next one. */
function exchange(addr: string, options: tls.ConnectionOptions): Promise<{ resumed: boolean; session: Buffer | undefined; text: string }> {
  const [host = '', port = '0'] = addr.split(':');
  return new Promise((resolve, reject) => {
    let session: Buffer | undefined;
    let text = '';
    let resumed = false;
    const socket = tls.connect({ ...options, host, port: Number(port) }, () => {
      resumed = socket.isSessionReused();
      socket.write(`GET /resume HTTP/1.1\r\nHost: ${CATALOG}\r\nConnection: close\r\n\r\n`);
    });
    socket.on('session', (s: Buffer) => {
      session = s;
    });
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    socket.on('error', reject);
    socket.on('close', () => resolve({ resumed, session, text }));
  });
}
