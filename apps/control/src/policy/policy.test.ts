import { mkdir, rename, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { join } from 'node:path';
import { type InboundPolicy, identityName, type PolicyWorkloads, policyServiceName } from '@meshviz/mesh-types';
import { afterEach, describe, expect, it } from 'vitest';
import type { ControlConfig } from '../config.js';
import { type Control, startControl } from '../control.js';
import { captureLog, eventually } from '../testing/capture-log.js';
import { openPolicyStream, type PolicyStream, workloadCert } from '../testing/stream-client.js';
import { makeTrustFixture, type TrustFixture } from '../testing/trust-dir.js';
import { workloadKey } from './catalog.js';

const trustDomain = 'cluster.local';
const id = (serviceAccount: string, namespace: string) => identityName({ serviceAccount, namespace, trustDomain });

const WORKLOADS: PolicyWorkloads = {
  trustDomain,
  clusterNetworks: ['127.0.0.0/8'],
  workloads: [
    { namespace: 'billing', name: 'payments', serviceAccount: 'payments', labels: { app: 'payments' }, ports: [{ port: 8080, name: 'http' }], probePaths: ['/healthz'], defaultPolicy: 'all-unauthenticated' },
    { namespace: 'billing', name: 'ledger', serviceAccount: 'ledger', labels: { app: 'ledger' }, ports: [{ port: 8080, name: 'http' }], probePaths: ['/healthz'], defaultPolicy: 'all-unauthenticated' },
    { namespace: 'bookshop', name: 'web', serviceAccount: 'web', labels: { app: 'web' }, ports: [{ port: 8080, name: 'http' }], probePaths: ['/healthz'], defaultPolicy: 'all-unauthenticated' },
  ],
};

/** payments' port 8080 (`http`) is a Server that lets in the identity of `allowedSa.allowedNs` only. */
const paymentsPolicy = (allowedSa: string, allowedNs: string) => `
apiVersion: policy.meshviz.io/v1
kind: Server
metadata: { name: payments-http, namespace: billing }
spec:
  podSelector: { matchLabels: { app: payments } }
  port: http
---
apiVersion: policy.meshviz.io/v1
kind: MeshTLSAuthentication
metadata: { name: allowed, namespace: billing }
spec:
  identityRefs: [{ kind: ServiceAccount, name: ${allowedSa}, namespace: ${allowedNs} }]
---
apiVersion: policy.meshviz.io/v1
kind: AuthorizationPolicy
metadata: { name: payments-allowed, namespace: billing }
spec:
  targetRef: { group: policy.meshviz.io, kind: Server, name: payments-http }
  requiredAuthenticationRefs: [{ group: policy.meshviz.io, kind: MeshTLSAuthentication, name: allowed }]
`;

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startWithPolicy(fx: TrustFixture, policyText: string) {
  const policyDir = join(fx.root, 'policy');
  await mkdir(policyDir);
  await writeFile(join(policyDir, 'billing.yaml'), policyText);
  const workloadsFile = join(fx.root, 'workloads.json');
  await writeFile(workloadsFile, JSON.stringify(WORKLOADS));
  const config: ControlConfig = {
    identity: {
      // A port of its own, as meshviz up gives it: the policy service must not take the identity service's address.
      listen: { host: '127.0.0.1', port: await freePort() },
      trustDomain,
      dir: fx.dir,
      pollIntervalMs: 100,
      leafLifetimeMs: 24 * 60 * 60 * 1000,
      clockSkewMs: 20_000,
      tokenValidator: { kind: 'local', keyFile: fx.tokenKeyFile },
    },
    // A slow fallback poll: the 1 s reload below has to come from change notifications.
    policy: { listen: { host: '127.0.0.1', port: 0 }, workloadsFile, dir: policyDir, pollIntervalMs: 30_000 },
    destination: undefined,
    admin: { listen: { host: '127.0.0.1', port: 0 } },
    logLevel: 'debug',
    parentPid: undefined,
  };
  const captured = captureLog();
  const control = await startControl(config, { log: captured.log });
  cleanups.push(() => control.shutdown());
  await eventually(() => (control.ready() ? true : undefined), 'the control plane to be ready');
  return { control, policyDir, ...captured };
}

async function stream(control: Control, fx: TrustFixture, workload: string, as: { sa: string; ns: string } | null): Promise<PolicyStream> {
  const cert = as ? await workloadCert(fx.issuer, { serviceAccount: as.sa, namespace: as.ns, trustDomain }) : undefined;
  const s = await openPolicyStream(control.addresses.policy!, workload, { anchorsPem: fx.anchor.certPem, trustDomain, cert });
  cleanups.push(() => s.close());
  return s;
}

const policies = (s: PolicyStream): InboundPolicy[] => s.messages.flatMap((m) => (m.type === 'policy' ? [m.policy] : []));
const allowedNames = (p: InboundPolicy): string[] =>
  p.ports[0]!.authorizations.flatMap((a) => (a.authentication.kind === 'identities' ? a.authentication.names : []));

async function metric(control: Control, line: string): Promise<number | undefined> {
  const text = await control.metrics.registry.metrics();
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe('the policy service', () => {
  it("streams a workload's compiled policy to a proxy of its namespace, and every change within a second", async () => {
    const fx = await makeTrustFixture(trustDomain);
    cleanups.push(() => fx.cleanup());
    const { control, policyDir } = await startWithPolicy(fx, paymentsPolicy('web', 'bookshop'));
    const s = await stream(control, fx, 'billing/payments', { sa: 'payments', ns: 'billing' });
    expect(s.status).toBe(200);
    await eventually(() => (policies(s).length === 1 ? true : undefined), 'the first policy');
    const first = policies(s)[0]!;
    expect(first.workload).toEqual({ namespace: 'billing', name: 'payments' });
    expect(first.ports[0]!.server).toEqual({ kind: 'server', name: 'payments-http' });
    expect(allowedNames(first)).toEqual([id('web', 'bookshop')]);

    // An editor's save: write a temporary file and rename it over the old one.
    const changedAt = performance.now();
    await writeFile(join(policyDir, '.billing.yaml.tmp'), paymentsPolicy('scraper', 'outside'));
    await rename(join(policyDir, '.billing.yaml.tmp'), join(policyDir, 'billing.yaml'));
    await eventually(() => (policies(s).length === 2 ? true : undefined), 'the changed policy', 5_000);
    const second = policies(s)[1]!;
    const tookMs = s.arrivals[s.messages.indexOf(s.messages.find((m) => m.type === 'policy' && m.policy === second)!)]! - changedAt;
    expect(tookMs).toBeLessThan(1_000);
    expect(allowedNames(second)).toEqual([id('scraper', 'outside')]);
    expect(second.revision).toBeGreaterThan(first.revision);
    expect(await metric(control, 'policy_reload_total{result="ok"}')).toBeGreaterThanOrEqual(2);
  });

  it('refuses an invalid change naming the file, the resource and the field, and keeps the last good policy', async () => {
    const fx = await makeTrustFixture(trustDomain);
    cleanups.push(() => fx.cleanup());
    const { control, policyDir, entries } = await startWithPolicy(fx, paymentsPolicy('web', 'bookshop'));
    const s = await stream(control, fx, 'billing/payments', { sa: 'payments', ns: 'billing' });
    await eventually(() => (policies(s).length === 1 ? true : undefined), 'the first policy');
    const before = control.policy!.catalog.get(workloadKey('billing', 'payments'));

    // The MeshTLSAuthentication is fine; the AuthorizationPolicy names a kind that does not exist.
    const broken = paymentsPolicy('scraper', 'outside').replace('kind: MeshTLSAuthentication, name: allowed', 'kind: MeshTLSAuthenticaton, name: allowed');
    await writeFile(join(policyDir, 'billing.yaml'), broken);
    const error = await eventually(
      () => entries.find((e) => e.msg === 'policy refused; the last good policy stays in force')?.error as string | undefined,
      'the refusal to be logged',
    );
    expect(error).toContain('billing.yaml');
    expect(error).toContain('AuthorizationPolicy billing/payments-allowed');
    expect(error).toContain('spec.requiredAuthenticationRefs.0.kind');
    expect(await metric(control, 'policy_reload_total{result="refused"}')).toBe(1);
    // Nothing half-applied: the MeshTLSAuthentication's new identity did not reach the policy either.
    expect(control.policy!.catalog.get(workloadKey('billing', 'payments'))).toEqual(before);
    await new Promise((r) => setTimeout(r, 300));
    expect(policies(s)).toHaveLength(1);
  });

  it('lets a proxy read only its own namespace, over mutual TLS, and names what was wrong', async () => {
    const fx = await makeTrustFixture(trustDomain);
    cleanups.push(() => fx.cleanup());
    const { control } = await startWithPolicy(fx, paymentsPolicy('web', 'bookshop'));

    const other = await stream(control, fx, 'billing/payments', { sa: 'web', ns: 'bookshop' });
    expect(other.status).toBe(403);
    expect(JSON.parse(other.body)).toEqual({
      error: {
        code: 'POLICY_PERMISSION_DENIED',
        message: `identity ${id('web', 'bookshop')} may not read the policy of namespace billing`,
      },
    });
    const unknown = await stream(control, fx, 'billing/nothing', { sa: 'payments', ns: 'billing' });
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body).error.message).toBe('no workload billing/nothing is known');
    // Without a client certificate the handshake itself is refused.
    await expect(stream(control, fx, 'billing/payments', null)).rejects.toThrow();
  });

  it('presents the policy service identity', async () => {
    const fx = await makeTrustFixture(trustDomain);
    cleanups.push(() => fx.cleanup());
    const { control } = await startWithPolicy(fx, paymentsPolicy('web', 'bookshop'));
    // openPolicyStream checks the name; a 200 proves the server presented it.
    const s = await stream(control, fx, 'billing/ledger', { sa: 'ledger', ns: 'billing' });
    expect(s.status).toBe(200);
    expect(policyServiceName(trustDomain)).toBe('policy.meshviz-system.serviceaccount.identity.meshviz.cluster.local');
    await eventually(() => (policies(s).length === 1 ? true : undefined), 'the ledger policy');
    // Ledger has no Server: its port follows the workload's default policy, probes included.
    expect(policies(s)[0]!.ports[0]!.server).toEqual({ kind: 'default', name: 'all-unauthenticated' });
  });
});


