import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createIssuer, createTrustAnchor, inspectCertificate } from '@meshviz/identity';
import { afterAll, describe, expect, it } from 'vitest';
import type { PrometheusClient } from '../../prometheus/client.js';
import { identityChecks, PROXY_CERTS_QUERY } from './identity.js';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function trustFiles(anchorPem: string, issuerPem: string) {
  const dir = await mkdtemp(path.join(tmpdir(), 'meshviz-api-trust-'));
  dirs.push(dir);
  await writeFile(path.join(dir, 'ca.crt'), anchorPem);
  await writeFile(path.join(dir, 'issuer.crt'), issuerPem);
  return { anchorsFile: path.join(dir, 'ca.crt'), issuerCertFile: path.join(dir, 'issuer.crt') };
}

/** Answers the one query the identity check makes, with the given per-proxy samples. */
function promAnswering(samples: { pod: string; expiresAt: number; issuer: string }[]): PrometheusClient {
  return {
    instant: async (query: string) => {
      expect(query).toBe(PROXY_CERTS_QUERY);
      return samples.map((s) => ({
        labels: { namespace: 'shop', pod: s.pod, identity: `${s.pod}.shop`, issuer_sha256: s.issuer },
        value: s.expiresAt / 1000,
      }));
    },
  } as unknown as PrometheusClient;
}

const now = Date.now();
const up = [{ health: 'up', lastError: '' }];
const sha = (pem: string) => inspectCertificate(pem).fingerprintSha256.replaceAll(':', '').toLowerCase();

describe('identity checks', () => {
  it('passes a valid anchor and issuer, an identity service that is up and proxies on the current issuer', async () => {
    const anchor = await createTrustAnchor({ trustDomain: 'cluster.local' });
    const issuer = await createIssuer(anchor, { trustDomain: 'cluster.local' });
    const files = await trustFiles(anchor.certPem, issuer.certPem);
    const prom = promAnswering([
      { pod: 'web-0', expiresAt: now + 3_600_000, issuer: sha(issuer.certPem) },
      { pod: 'db-0', expiresAt: now + 7_200_000, issuer: sha(issuer.certPem) },
    ]);
    const items = await identityChecks(prom, files, up, 2, now);
    expect(items.map((i) => [i.id, i.status])).toEqual([
      ['identity-anchor', 'ok'],
      ['identity-issuer', 'ok'],
      ['identity-service', 'ok'],
      ['identity-proxies', 'ok'],
    ]);
    expect(items[3]?.detail).toBe('2 proxies, the soonest certificate expires in 60 min');
  });

  it('warns within 60 days of the anchor expiring and fails an issuer from another anchor', async () => {
    const anchor = await createTrustAnchor({ trustDomain: 'cluster.local', lifetimeMs: 30 * 86_400_000 });
    const stranger = await createTrustAnchor({ trustDomain: 'cluster.local' });
    const issuer = await createIssuer(stranger, { trustDomain: 'cluster.local' });
    const files = await trustFiles(anchor.certPem, issuer.certPem);
    const items = await identityChecks(promAnswering([]), files, up, 0, now);
    expect(items[0]).toMatchObject({ id: 'identity-anchor', status: 'warn' });
    expect(items[0]?.detail).toMatch(/expires at .* in (29|30) days/);
    expect(items[1]).toMatchObject({ id: 'identity-issuer', status: 'fail' });
    expect(items[1]?.detail).toMatch(/does not chain to the trust anchor/);
  });

  it('names proxies with an expired certificate or one from another issuer, and proxies with none', async () => {
    const anchor = await createTrustAnchor({ trustDomain: 'cluster.local' });
    const issuer = await createIssuer(anchor, { trustDomain: 'cluster.local' });
    const files = await trustFiles(anchor.certPem, issuer.certPem);
    const prom = promAnswering([
      { pod: 'web-0', expiresAt: now - 1_000, issuer: sha(issuer.certPem) },
      { pod: 'db-0', expiresAt: now + 3_600_000, issuer: 'feedface' },
    ]);
    const [, , service, proxies] = await identityChecks(prom, files, [{ health: 'down', lastError: 'connection refused' }], 3, now);
    expect(service).toMatchObject({ status: 'fail', detail: '1 of 1 down: connection refused' });
    expect(proxies?.status).toBe('fail');
    expect(proxies?.detail).toBe(
      'shop/web-0: certificate expired; shop/db-0: certificate from another issuer; 1 of 3 proxies report no certificate',
    );
  });

  it('says identity is not checked, and how to turn it on, without trust files; fails an unreadable file by name', async () => {
    const [item] = await identityChecks(promAnswering([]), undefined, up, 0, now);
    expect(item).toMatchObject({ id: 'identity', status: 'warn' });
    expect(item?.hint).toMatch(/API_IDENTITY_TRUST_ANCHORS_FILE/);
    const missing = await identityChecks(promAnswering([]), { anchorsFile: '/nonexistent/ca.crt', issuerCertFile: '/nonexistent/i.crt' }, up, 0, now);
    expect(missing[0]).toMatchObject({ id: 'identity-anchor', status: 'fail' });
    expect(missing[0]?.detail).toContain('/nonexistent/ca.crt');
  });
});
