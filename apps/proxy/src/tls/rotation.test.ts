import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { createIssuer, createTrustAnchor } from '@meshviz/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { CATALOG, scrape, startMesh } from '../testing/mesh.js';
import { total } from '../testing/prom-text.js';

let pki: TestPki;
let app: Upstream;
beforeAll(async () => {
  pki = await createTestPki();
  app = await startUpstream((_req, res) => res.end('ok'));
});
afterAll(() => app.close());

/** Sends `rps` requests a second for `ms`, half over a kept-alive connection and half on new ones; counts failures. */
async function steadyTraffic(address: string, rps: number, ms: number): Promise<{ sent: number; failed: string[] }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  const failed: string[] = [];
  let sent = 0;
  const pending: Promise<void>[] = [];
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const i = sent++;
    pending.push(
      send(address, { path: `/r${i}`, headers: { host: CATALOG }, ...(i % 2 === 0 ? { agent } : {}) }).then(
        (reply) => {
          if (reply.status !== 200) failed.push(`${i}: ${reply.status} ${reply.headers['x-meshviz-proxy-error'] ?? ''}`);
        },
        (error: Error) => {
          failed.push(`${i}: ${error.message}`);
        },
      ),
    );
    await new Promise((r) => setTimeout(r, 1000 / rps));
  }
  await Promise.all(pending);
  agent.destroy();
  return { sent, failed };
}

describe('certificate rotation', () => {
  let service: TestIdentityService;
  beforeAll(async () => {
    // 15 s leaves: each proxy renews every 10.5 s, so the run below spans three renewals per proxy.
    service = await startTestIdentityService(pki, 15_000);
  });
  afterAll(() => service.close());

  it('loses no request across several renewals and an issuer replaced under the same anchor', async () => {
    const client = testIdentity('web', 'bookshop', pki);
    const server = testIdentity('catalog', 'bookshop', pki);
    const mesh = await startMesh({
      apps: [app.addr],
      client: { identity: proxyIdentityConfig(service, pki, client) },
      replicaAt: () => ({ identity: proxyIdentityConfig(service, pki, server) }),
      endpointIdentity: () => server,
    });
    try {
      await Promise.all([mesh.client, ...mesh.replicas].map((p) => ready(p)));
      // Halfway, the control plane gets a new issuer from the same anchor; no proxy is restarted.
      const swap = setTimeout(async () => {
        service.issuer = await createIssuer(pki.anchor, { trustDomain: pki.trustDomain });
      }, 16_000);
      const { sent, failed } = await steadyTraffic(mesh.client.addresses.outbound, 20, 33_000);
      clearTimeout(swap);
      expect(failed).toEqual([]);
      expect(sent).toBeGreaterThan(500);
      expect(service.issued.get(client)).toBeGreaterThanOrEqual(4);
      expect(service.issued.get(server)).toBeGreaterThanOrEqual(4);
      const out = await scrape(mesh.client);
      expect(total(out, 'identity_cert_refresh_count')).toBeGreaterThanOrEqual(4);
      expect(total(out, 'response_total', { direction: 'outbound', tls: 'true', classification: 'success' })).toBe(sent);
    } finally {
      await mesh.close();
    }
  }, 60_000);
});

describe('trust anchor rotation', () => {
  it('works through a bundle of old and new anchors: peers certified under either keep talking', async () => {
    const newAnchor = await createTrustAnchor({ trustDomain: pki.trustDomain });
    const newIssuer = await createIssuer(newAnchor, { trustDomain: pki.trustDomain });
    const oldService = await startTestIdentityService(pki, 60_000);
    const newService = await startTestIdentityService({ anchor: newAnchor, issuer: newIssuer, trustDomain: pki.trustDomain }, 60_000);
    const bundle = `${pki.anchor.certPem.trim()}\n${newAnchor.certPem.trim()}\n`;
    const client = testIdentity('web', 'bookshop', pki);
    const server = testIdentity('catalog', 'bookshop', pki);
    // The client is still certified under the old anchor; the server already under the new one.
    const clientIdentity = proxyIdentityConfig(oldService, pki, client);
    const serverIdentity = proxyIdentityConfig(newService, pki, server);
    writeFileSync(clientIdentity.trustAnchorsFile!, bundle);
    writeFileSync(serverIdentity.trustAnchorsFile!, bundle);
    const mesh = await startMesh({
      apps: [app.addr],
      client: { identity: clientIdentity },
      replicaAt: () => ({ identity: serverIdentity }),
      endpointIdentity: () => server,
    });
    try {
      await Promise.all([mesh.client, ...mesh.replicas].map((p) => ready(p)));
      const reply = await send(mesh.client.addresses.outbound, { path: '/bundle', headers: { host: CATALOG } });
      expect(reply.status).toBe(200);
      const inb = await scrape(mesh.replicas[0]!);
      expect(total(inb, 'request_total', { direction: 'inbound', tls: 'true', client_id: client })).toBe(1);
    } finally {
      await mesh.close();
      await oldService.close();
      await newService.close();
    }
  });

  it('refuses the new anchor’s peers while the bundle still holds only the old anchor', async () => {
    const newAnchor = await createTrustAnchor({ trustDomain: pki.trustDomain });
    const newIssuer = await createIssuer(newAnchor, { trustDomain: pki.trustDomain });
    const oldService = await startTestIdentityService(pki, 60_000);
    const newService = await startTestIdentityService({ anchor: newAnchor, issuer: newIssuer, trustDomain: pki.trustDomain }, 60_000);
    const server = testIdentity('catalog', 'bookshop', pki);
    const serverIdentity = proxyIdentityConfig(newService, pki, server);
    writeFileSync(serverIdentity.trustAnchorsFile!, `${pki.anchor.certPem.trim()}\n${newAnchor.certPem.trim()}\n`);
    const mesh = await startMesh({
      apps: [app.addr],
      client: { identity: proxyIdentityConfig(oldService, pki, testIdentity('web', 'bookshop', pki)) },
      replicaAt: () => ({ identity: serverIdentity }),
      endpointIdentity: () => server,
    });
    try {
      await Promise.all([mesh.client, ...mesh.replicas].map((p) => ready(p)));
      const reply = await send(mesh.client.addresses.outbound, { path: '/old-only', headers: { host: CATALOG } });
      expect(reply.status).toBe(502);
      expect(reply.headers['x-meshviz-proxy-error']).toBe('tls_untrusted');
    } finally {
      await mesh.close();
      await oldService.close();
      await newService.close();
    }
  });
});
