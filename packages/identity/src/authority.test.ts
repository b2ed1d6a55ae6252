import { describe, expect, it } from 'vitest';
import { CaMaterialError, checkCaMaterial, createIssuer, createTrustAnchor } from './authority.js';
import { createCsr } from './csr.js';
import { inspectCertificate } from './inspect.js';
import { signLeaf } from './sign-leaf.js';
import { opensslVerify } from './testing/openssl.js';
import { x509 } from './x509-lib.js';

const trustDomain = 'cluster.local';

describe('trust anchor and issuer', () => {
  it('are CAs named after the trust domain; the issuer signs leaves only and never outlives the anchor', async () => {
    const now = new Date();
    const anchor = await createTrustAnchor({ trustDomain, now, lifetimeMs: 3600_000 });
    const issuer = await createIssuer(anchor, { trustDomain, now });
    const a = inspectCertificate(anchor.certPem);
    const i = inspectCertificate(issuer.certPem);
    expect(a).toMatchObject({ subject: 'CN=root.identity.meshviz.cluster.local', issuer: 'CN=root.identity.meshviz.cluster.local', isCa: true });
    expect(i).toMatchObject({ subject: 'CN=identity.meshviz.cluster.local', issuer: a.subject, isCa: true });
    expect(i.notAfter).toEqual(a.notAfter);
    const issuerCert = new x509.X509Certificate(issuer.certPem);
    expect(issuerCert.getExtension(x509.BasicConstraintsExtension)).toMatchObject({ ca: true, pathLength: 0, critical: true });
    expect(issuerCert.getExtension(x509.KeyUsagesExtension)?.usages).toBe(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
    // openssl accepts the issuer under the anchor as a CA.
    await opensslVerify(issuer.certPem, '', anchor.certPem, ['-purpose', 'any']);
  });

  it('default to 365 days', async () => {
    const now = new Date();
    const anchor = await createTrustAnchor({ trustDomain, now });
    expect(inspectCertificate(anchor.certPem).notAfter.getTime()).toBe(Math.floor((now.getTime() + 365 * 86400_000) / 1000) * 1000);
  });

  it('refuse a trust domain that is not a DNS name', async () => {
    await expect(createTrustAnchor({ trustDomain: 'Cluster Local' })).rejects.toThrow(/trust domain "Cluster Local"/);
  });
});

describe('checkCaMaterial', () => {
  it('accepts an anchor with its key and says what is wrong otherwise', async () => {
    const anchor = await createTrustAnchor({ trustDomain });
    const other = await createTrustAnchor({ trustDomain });
    expect(() => checkCaMaterial(anchor)).not.toThrow();
    expect(() => checkCaMaterial({ ...anchor, keyPem: other.keyPem })).toThrow(/the key is not the key of the certificate/);
    try {
      checkCaMaterial({ ...anchor, keyPem: other.keyPem });
    } catch (error) {
      expect(error).toBeInstanceOf(CaMaterialError);
      expect((error as CaMaterialError).part).toBe('key');
    }
    expect(() => checkCaMaterial({ ...anchor, keyPem: 'nope' })).toThrow(/not a PEM private key/);
    expect(() => checkCaMaterial(anchor, new Date(Date.now() + 400 * 86400_000))).toThrow(/expired at/);
    const web = { serviceAccount: 'web', namespace: 'shop', trustDomain };
    const { keyPem, csrPem } = await createCsr(web);
    const leaf = await signLeaf(await createIssuer(anchor, { trustDomain }), csrPem, { identity: web });
    expect(() => checkCaMaterial({ certPem: leaf.certPem, keyPem })).toThrow(/is not a CA/);
  });
});
