import { mkdtempSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type CaMaterial, createCsr, createIssuer, createTrustAnchor, signLeaf } from '@meshviz/identity';
import {
  CertifyRequest,
  DEFAULT_TRUST_DOMAIN,
  identityName,
  identityServiceName,
  parseIdentityName,
} from '@meshviz/mesh-types';
import type { IdentityConfig } from '../config.js';
import type { ProxyHandle } from '../proxy.js';
import { eventually, getText } from './http-fixtures.js';

/** A trust anchor and issuer for tests, made with the same code the control plane uses. */
export interface TestPki {
  readonly anchor: CaMaterial;
  readonly issuer: CaMaterial;
  readonly trustDomain: string;
}

export async function createTestPki(trustDomain = DEFAULT_TRUST_DOMAIN): Promise<TestPki> {
  const anchor = await createTrustAnchor({ trustDomain });
  const issuer = await createIssuer(anchor, { trustDomain });
  return { anchor, issuer, trustDomain };
}

/** `<sa>.<ns>.serviceaccount.identity.meshviz.<td>` for a test workload. */
export function testIdentity(serviceAccount: string, namespace: string, pki: TestPki): string {
  return identityName({ serviceAccount, namespace, trustDomain: pki.trustDomain });
}

export interface TestIdentityService {
  readonly addr: string;
  readonly serviceName: string;
  /** Certify requests answered so far, by identity. */
  readonly issued: Map<string, number>;
  /** Leaf lifetime for the next certificates. */
  lifetimeMs: number;
  /** While true the service answers 503, as an identity service whose issuer is gone would. */
  down: boolean;
  /** Replaces the issuer (rotation under the same anchor). */
  issuer: CaMaterial;
  /** A token accepted for a workload identity name. */
  tokenFor(identity: string): string;
  close(): Promise<void>;
}

/**
 * A small certify endpoint for the proxy's own tests: HTTPS with the identity service's identity, tokens from a
 * table, leaves signed by the real signing code. The control plane's identity service is tested in apps/control;
 * here the point is the proxy's side of the exchange and mTLS between proxies.
 */
export async function startTestIdentityService(pki: TestPki, lifetimeMs = 60_000, host = '127.0.0.1'): Promise<TestIdentityService> {
  const serviceName = identityServiceName(pki.trustDomain);
  const serviceId = parseIdentityName(serviceName)!;
  const { keyPem, csrPem } = await createCsr(serviceId);
  const own = await signLeaf(pki.issuer, csrPem, { identity: serviceId });
  const tokens = new Map<string, string>();
  const state = { lifetimeMs, down: false, issuer: pki.issuer };
  const issued = new Map<string, number>();

  const server = https.createServer(
    { key: keyPem, cert: `${own.certPem.trim()}\n${pki.issuer.certPem.trim()}\n`, minVersion: 'TLSv1.3' },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const answer = (status: number, body: unknown): void => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        if (state.down) return answer(503, { error: { code: 'IDENTITY_UNAVAILABLE', message: 'down for the test' } });
        const parsed = CertifyRequest.safeParse(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'));
        if (!parsed.success) return answer(400, { error: { code: 'IDENTITY_INVALID_ARGUMENT', message: 'bad request' } });
        const { identity, token, certificateSigningRequest } = parsed.data;
        if (tokens.get(token) !== identity) {
          return answer(403, { error: { code: 'IDENTITY_PERMISSION_DENIED', message: 'token is not for this identity' } });
        }
        signLeaf(state.issuer, certificateSigningRequest, {
          identity: parseIdentityName(identity)!,
          lifetimeMs: state.lifetimeMs,
        }).then(
          (leaf) => {
            issued.set(identity, (issued.get(identity) ?? 0) + 1);
            answer(200, {
              leafCertificate: leaf.certPem,
              intermediateCertificates: [state.issuer.certPem],
              validUntil: leaf.validUntil.toISOString(),
            });
          },
          (error: Error) => answer(400, { error: { code: 'IDENTITY_INVALID_ARGUMENT', message: error.message } }),
        );
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    addr: `${host}:${port}`,
    serviceName,
    issued,
    get lifetimeMs() {
      return state.lifetimeMs;
    },
    set lifetimeMs(ms: number) {
      state.lifetimeMs = ms;
    },
    get down() {
      return state.down;
    },
    set down(value: boolean) {
      state.down = value;
    },
    get issuer() {
      return state.issuer;
    },
    set issuer(material: CaMaterial) {
      state.issuer = material;
    },
    tokenFor: (identity) => {
      const token = `token-${identity}-${tokens.size}`;
      tokens.set(token, identity);
      return token;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A proxy's identity configuration against a test identity service: token and anchors written to a temp dir. */
export function proxyIdentityConfig(service: TestIdentityService, pki: TestPki, identity: string): IdentityConfig {
  const dir = mkdtempSync(path.join(tmpdir(), 'meshviz-proxy-identity-'));
  const tokenFile = path.join(dir, 'token');
  const anchorsFile = path.join(dir, 'ca.crt');
  writeFileSync(tokenFile, service.tokenFor(identity));
  writeFileSync(anchorsFile, pki.anchor.certPem);
  const [host = '', port = '0'] = service.addr.split(':');
  return {
    localName: identity,
    serviceAddr: { host, port: Number(port) },
    serviceName: service.serviceName,
    trustAnchorsPem: undefined,
    trustAnchorsFile: anchorsFile,
    tokenFile,
  };
}

/** Resolves once the proxy's /ready answers 200 (listeners bound and, with identity, certified). */
export async function waitReady(proxy: ProxyHandle, timeoutMs = 5_000): Promise<void> {
  await eventually(async () => {
    if ((await getText(proxy.addresses.admin, '/ready')).status !== 200) throw new Error('proxy not ready');
  }, timeoutMs);
}
