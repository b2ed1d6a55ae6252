import path from 'node:path';
import {
  type CompiledAuthorization,
  type CompiledRoute,
  DEFAULT_CLUSTER_NETWORKS,
  type InboundPolicy,
  type PortPolicy,
} from '@meshviz/mesh-types';
import { parseHostPort } from '@meshviz/runtime';
import type { Logger } from 'pino';
import { expect } from 'vitest';
import type { PolicyConfig, ProxyConfig } from '../config.js';
import { type ProxyHandle, startProxy } from '../proxy.js';
import { run } from './client-tools.js';
import { eventually } from './http-fixtures.js';
import { proxyIdentityConfig, type TestIdentityService, type TestPki, testIdentity, waitReady } from './identity-fixtures.js';
import { scrape } from './mesh.js';
import type { TestPolicyService } from './policy-service.js';
import { select } from './prom-text.js';
import { silentLog, testConfig } from './test-config.js';

/** The workload every policy test protects, and the identities of its replica and of two clients. */
export const WORKLOAD = { namespace: 'bookshop', name: 'catalog' };
export const WORKLOAD_KEY = 'bookshop/catalog';
export const ids = (pki: TestPki) => ({
  server: testIdentity('catalog', 'bookshop', pki),
  web: testIdentity('web', 'bookshop', pki),
  ledger: testIdentity('ledger', 'billing', pki),
});

export function authorization(name: string, rest: Partial<CompiledAuthorization> = {}): CompiledAuthorization {
  return { kind: 'authorizationpolicy', name, authentication: { kind: 'unauthenticated' }, networks: [], audit: false, ...rest };
}

export const onlyIdentities = (name: string, names: string[]): CompiledAuthorization =>
  authorization(name, { authentication: { kind: 'identities', names, suffixes: [] } });

export function route(kind: string, name: string, matches: CompiledRoute['matches'], authorizations: CompiledAuthorization[]): CompiledRoute {
  return { kind, name, matches, authorizations };
}

export const prefix = (value: string): CompiledRoute['matches'][number] => ({ path: { type: 'PathPrefix', value }, headers: [] });

/** The catalog's policy with one port entry (the app's port). */
export function catalogPolicy(
  revision: number,
  port: number,
  entry: Partial<Omit<PortPolicy, 'port'>> = {},
): InboundPolicy {
  return {
    workload: WORKLOAD,
    revision,
    defaultPolicy: 'deny',
    clusterNetworks: [...DEFAULT_CLUSTER_NETWORKS],
    probePaths: [],
    ports: [{ port, protocol: 'unknown', server: { kind: 'server', name: 'catalog-http' }, routes: [], authorizations: [], ...entry }],
  };
}

export interface ReplicaOptions {
  readonly pki: TestPki;
  readonly identityService: TestIdentityService;
  /** Absent: no policy stream, the default applies at once. */
  readonly policyService?: TestPolicyService;
  /** On top of the defaults below and the policy service's address and name. */
  readonly policy?: Partial<PolicyConfig>;
  readonly config?: Partial<ProxyConfig>;
  readonly log?: Logger;
}

/** The catalog replica's proxy, with identity (catalog.bookshop) and the policy settings given; ready when it returns. */
export async function startReplica(app: string, options: ReplicaOptions): Promise<ProxyHandle> {
  const { pki, identityService, policyService } = options;
  const service = policyService
    ? { addr: parseHostPort(policyService.addr)!, name: policyService.serviceName, workload: WORKLOAD }
    : undefined;
  const policy: PolicyConfig = {
    service,
    defaultPolicy: 'all-unauthenticated',
    probePaths: [],
    clusterNetworks: [...DEFAULT_CLUSTER_NETWORKS],
    initialWaitMs: 3_000,
    port: undefined,
    ...options.policy,
  };
  const config = testConfig({
    inboundForwardAddr: parseHostPort(app)!,
    identity: proxyIdentityConfig(identityService, pki, ids(pki).server),
    policy,
    ...options.config,
  });
  const proxy = await startProxy(config, { log: options.log ?? silentLog, destinationsPollMs: 50 });
  await waitReady(proxy);
  return proxy;
}

/** Waits until the proxy reports `revision` from the control plane in force. */
export async function policyInForce(proxy: ProxyHandle, revision: number, timeoutMs = 3_000): Promise<void> {
  await eventually(async () => {
    const info = select(await scrape(proxy), 'inbound_policy_info');
    expect(info.map((s) => s.labels)).toEqual([{ revision: String(revision), source: 'control' }]);
  }, timeoutMs);
}

export interface CurlReply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * GET with curl to an inbound proxy: over mutual TLS presenting the certificate in `certDir` (see
 * writeClientCertificate) and checking the server's identity, or in plaintext when `certDir` is undefined.
 */
export async function curl(inbound: string, target: string, certDir: string | undefined, serverId: string, method = 'GET'): Promise<CurlReply> {
  const port = inbound.slice(inbound.lastIndexOf(':') + 1);
  const common = ['-sS', '-i', '--http1.1', '-X', method, '-H', 'host: catalog.bookshop.svc.cluster.local'];
  const args = certDir
    ? [
        ...common,
        '--tlsv1.3',
        '--resolve',
        `${serverId}:${port}:127.0.0.1`,
        '--cacert',
        path.join(certDir, 'ca.pem'),
        '--cert',
        path.join(certDir, 'chain.pem'),
        '--key',
        path.join(certDir, 'key.pem'),
        `https://${serverId}:${port}${target}`,
      ]
    : [...common, `http://127.0.0.1:${port}${target}`];
  const result = await run('curl', args, '');
  if (result.code !== 0) throw new Error(`curl failed (${result.code}): ${result.stderr}`);
  const split = result.stdout.indexOf('\r\n\r\n');
  const [statusLine = '', ...headerLines] = result.stdout.slice(0, split).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]), headers, body: result.stdout.slice(split + 4) };
}
