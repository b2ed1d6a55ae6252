import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { checkServerIdentity } from 'node:tls';
import { createCsr, readTrustFiles, signLeaf } from '@meshviz/identity';
import { type DestinationsFile, identityName, PROXY_ERROR_HEADER } from '@meshviz/mesh-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SpawnedMesh, spawnUp } from '../testing/spawn-up.js';

/**
 * Authorization policy end to end on one machine: `meshviz up` with a mesh file and its policy directory, the real
 * control plane streaming policy to real proxies. The test speaks mutual TLS to payments' inbound proxy itself,
 * with certificates it signs from the run's issuer for two identities, so it sees every answer and when it came.
 */

const MESH = `
namespaces:
  - name: billing
    workloads:
      - name: payments
        replicas: 1
        routes:
          - { method: POST, path: /charge, latencyMs: 1 }
  - name: bookshop
    workloads:
      - name: web
        replicas: 1
        routes:
          - method: GET
            path: /books
            latencyMs: 1
            calls:
              - { service: payments.billing, method: POST, path: /charge }
load:
  rate: 20
  targets:
    - { service: web.bookshop, method: GET, path: /books }
`;

/** payments answers only the service accounts named. */
const policyAllowing = (...accounts: [string, string][]) => `
apiVersion: policy.meshviz.io/v1
kind: Server
metadata: { name: payments-http, namespace: billing }
spec:
  podSelector: { matchLabels: { app: payments } }
  port: http
---
apiVersion: policy.meshviz.io/v1
kind: MeshTLSAuthentication
metadata: { name: callers, namespace: billing }
spec:
  identityRefs:
${accounts.map(([sa, ns]) => `    - { kind: ServiceAccount, name: ${sa}, namespace: ${ns} }`).join('\n')}
---
apiVersion: policy.meshviz.io/v1
kind: AuthorizationPolicy
metadata: { name: payments-callers, namespace: billing }
spec:
  targetRef: { group: policy.meshviz.io, kind: Server, name: payments-http }
  requiredAuthenticationRefs:
    - { group: policy.meshviz.io, kind: MeshTLSAuthentication, name: callers }
`;

const trustDomain = 'cluster.local';
const id = (serviceAccount: string, namespace: string) => identityName({ serviceAccount, namespace, trustDomain });

interface Answer {
  /** performance.now() when the answer's headers arrived. */
  at: number;
  status: number;
  error: string | undefined;
}

/** A meshed client of payments' inbound proxy: mutual TLS as `identity`, the proxy's own identity checked. */
function client(addr: string, serverId: string, anchorsPem: string, cert: { keyPem: string; certPem: string }) {
  const [host, port] = [addr.slice(0, addr.lastIndexOf(':')), Number(addr.slice(addr.lastIndexOf(':') + 1))];
  const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
  return {
    charge: () =>
      new Promise<Answer>((resolve, reject) => {
        const req = https.request(
          {
            host,
            port,
            path: '/charge',
            method: 'POST',
            headers: { host: 'payments.billing.svc.cluster.local', 'content-length': '0' },
            agent,
            ca: anchorsPem,
            key: cert.keyPem,
            cert: cert.certPem,
            servername: serverId,
            checkServerIdentity: (_h, c) => checkServerIdentity(serverId, c),
          },
          (res) => {
            res.resume();
            res.on('end', () =>
              resolve({ at: performance.now(), status: res.statusCode ?? 0, error: res.headers[PROXY_ERROR_HEADER] as string | undefined }),
            );
          },
        );
        req.on('error', reject);
        req.end();
      }),
    close: () => agent.destroy(),
  };
}

describe('authorization policy through meshviz up (integration)', () => {
  let mesh: SpawnedMesh;
  let dir: string;
  let policyFile: string;
  let paymentsAddr: string;
  let paymentsId: string;
  let anchorsPem: string;
  const certs: Record<string, { keyPem: string; certPem: string }> = {};

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'meshviz-policy-it-'));
    await mkdir(path.join(dir, 'policy'));
    policyFile = path.join(dir, 'policy', 'billing.yaml');
    await writeFile(path.join(dir, 'mesh.yaml'), MESH);
    await writeFile(policyFile, policyAllowing(['web', 'bookshop']));
    const identityDir = path.join(dir, 'identity');
    mesh = await spawnUp(['-f', path.join(dir, 'mesh.yaml'), '--identity-dir', identityDir, '--scrape-interval', '1s']);
    const destinations = JSON.parse(await readFile(path.join(mesh.runDir, 'destinations.json'), 'utf8')) as DestinationsFile;
    const endpoint = destinations.services['payments.billing.svc.cluster.local']!.endpoints[0]!;
    paymentsAddr = endpoint.addr;
    paymentsId = endpoint.identity!;
    const trust = await readTrustFiles(identityDir);
    anchorsPem = trust.anchorsPem;
    for (const [sa, ns] of [['web', 'bookshop'], ['scraper', 'outside']] as const) {
      const identity = { serviceAccount: sa, namespace: ns, trustDomain };
      const { keyPem, csrPem } = await createCsr(identity);
      const leaf = await signLeaf(trust.issuer, csrPem, { identity, lifetimeMs: 3_600_000, clockSkewMs: 20_000 });
      certs[sa] = { keyPem, certPem: `${leaf.certPem}${trust.issuer.certPem}` };
    }
  }, 150_000);

  afterAll(async () => {
    await mesh?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('enforces an edited policy within a second, losing no allowed request, and keeps it when an edit is invalid', async () => {
    expect(paymentsId).toBe(id('payments', 'billing'));
    const web = client(paymentsAddr, paymentsId, anchorsPem, certs.web!);
    const scraper = client(paymentsAddr, paymentsId, anchorsPem, certs.scraper!);
    const seen: { web: Answer[]; scraper: Answer[] } = { web: [], scraper: [] };
    let running = true;
    const loop = async (c: ReturnType<typeof client>, into: Answer[]) => {
      while (running) {
        into.push(await c.charge());
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    const loops = Promise.all([loop(web, seen.web), loop(scraper, seen.scraper)]);
    try {
      // Under the first policy the scraper is refused and web is let in.
      await until(() => seen.scraper.length >= 5 && seen.web.length >= 5, 'answers to both clients');
      expect(seen.scraper.every((a) => a.status === 403 && a.error === 'unauthorized')).toBe(true);

      // An editor's save (temporary file, then rename): now the scraper is allowed too.
      await writeFile(`${policyFile}.tmp`, policyAllowing(['web', 'bookshop'], ['scraper', 'outside']));
      const editedAt = performance.now();
      await rename(`${policyFile}.tmp`, policyFile);
      await until(() => seen.scraper.some((a) => a.status === 200), 'the scraper to be let in', 10_000);
      const firstAllowed = seen.scraper.find((a) => a.status === 200)!;
      expect(firstAllowed.at - editedAt).toBeLessThan(1_000);
      // Once allowed, always allowed: the change applied whole, not request by request.
      expect(seen.scraper.slice(seen.scraper.indexOf(firstAllowed)).every((a) => a.status === 200)).toBe(true);

      // An invalid edit is refused by the control plane; the last good policy stays in force.
      const countBefore = seen.scraper.length;
      await writeFile(policyFile, policyAllowing(['web', 'bookshop']).replace('kind: MeshTLSAuthentication, name: callers', 'kind: MeshTLSAuthentication, name: nobody'));
      await until(async () => (await controlLog()).includes('policy refused'), 'the control plane to refuse the edit', 10_000);
      const log = await controlLog();
      expect(log).toContain('billing.yaml: AuthorizationPolicy billing/payments-callers: spec.requiredAuthenticationRefs.0');
      await new Promise((r) => setTimeout(r, 1_500));
      expect(seen.scraper.length).toBeGreaterThan(countBefore + 10);
      expect(seen.scraper.slice(countBefore).every((a) => a.status === 200)).toBe(true);
      // web's loop ran through every edit above; on a busy machine it may not yet have the hundred answers the
      // check below wants, so it goes on until it has them (its pace is the machine's, not the policy's).
      await until(() => seen.web.length > 100, 'a hundred answers to web', 20_000);
    } finally {
      running = false;
      await loops;
      web.close();
      scraper.close();
    }
    // web was allowed by every policy in force: not one of its requests was refused or lost.
    expect(seen.web.length).toBeGreaterThan(100);
    expect(seen.web.filter((a) => a.status !== 200)).toEqual([]);
  }, 60_000);

  async function controlLog(): Promise<string> {
    return readFile(path.join(mesh.runDir, 'logs', 'meshviz-system_control.log'), 'utf8').catch(() => '');
  }
});

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
