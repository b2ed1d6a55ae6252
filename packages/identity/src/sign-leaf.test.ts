import { webcrypto } from 'node:crypto';
import { IDENTITY_DEFAULTS, identityName, spiffeId, type WorkloadIdentity } from '@meshviz/mesh-types';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CaMaterial, createIssuer, createTrustAnchor } from './authority.js';
import { createCsr } from './csr.js';
import { IdentityError } from './errors.js';
import { inspectCertificate } from './inspect.js';
import { generateKeyPair } from './keys.js';
import { signLeaf } from './sign-leaf.js';
import { opensslVerify } from './testing/openssl.js';
import { verifyChain } from './verify-chain.js';
import { EC_ALGORITHM, x509 } from './x509-lib.js';

const trustDomain = 'cluster.local';
const web: WorkloadIdentity = { serviceAccount: 'web', namespace: 'shop', trustDomain };

let anchor: CaMaterial;
let issuer: CaMaterial;
beforeAll(async () => {
  anchor = await createTrustAnchor({ trustDomain });
  issuer = await createIssuer(anchor, { trustDomain });
});

/** A CSR with exactly the SANs given, for the refusals a well-behaved createCsr never produces. */
async function csrWithNames(names: x509.JsonGeneralNames, algorithm: webcrypto.EcKeyGenParams = EC_ALGORITHM): Promise<string> {
  const keys = algorithm === EC_ALGORITHM ? await generateKeyPair() : await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: 'CN=test',
    keys,
    signingAlgorithm: { ...algorithm, hash: algorithm.namedCurve === 'P-384' ? 'SHA-384' : 'SHA-256' },
    extensions: [new x509.SubjectAlternativeNameExtension(names)],
  });
  return csr.toString('pem');
}

async function expectRefusal(promise: Promise<unknown>, message: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(IdentityError);
  expect((error as IdentityError).code).toBe('IDENTITY_INVALID_ARGUMENT');
  expect((error as IdentityError).message).toMatch(message);
}

describe('signLeaf', () => {
  it('makes a leaf for the identity that chains to the anchor, by our check and by openssl', async () => {
    const { csrPem } = await createCsr(web);
    const now = new Date();
    const { certPem, validUntil } = await signLeaf(issuer, csrPem, { identity: web, now });

    expect(verifyChain(certPem, [issuer.certPem], [anchor.certPem])).toEqual({ ok: true });
    const name = identityName(web);
    const out = await opensslVerify(certPem, issuer.certPem, anchor.certPem, ['-purpose', 'sslserver', '-verify_hostname', name]);
    expect(out).toMatch(/leaf\.crt: OK/);
    await opensslVerify(certPem, issuer.certPem, anchor.certPem, ['-purpose', 'sslclient']);

    const leaf = inspectCertificate(certPem);
    expect(leaf.dnsNames).toStrictEqual([name]);
    expect(leaf.uris).toEqual([spiffeId(web)]);
    expect(leaf.isCa).toBe(false);
    expect(leaf.subject).toBe(`CN=${name}`);
    expect(leaf.issuer).toBe(`CN=identity.meshviz.${trustDomain}`);
    expect(leaf.notAfter.getTime()).toBe(Math.floor((now.getTime() + IDENTITY_DEFAULTS.leafLifetimeMs) / 1000) * 1000);
    expect(leaf.notBefore.getTime()).toBe(Math.floor((now.getTime() - IDENTITY_DEFAULTS.clockSkewMs) / 1000) * 1000);
    expect(validUntil).toEqual(leaf.notAfter);
  });

  it('sets key usage, extended key usage and key identifiers', async () => {
    const { csrPem } = await createCsr(web);
    const { certPem } = await signLeaf(issuer, csrPem, { identity: web });
    const leaf = new x509.X509Certificate(certPem);
    const issuerCert = new x509.X509Certificate(issuer.certPem);
    expect(leaf.getExtension(x509.KeyUsagesExtension)?.usages).toBe(x509.KeyUsageFlags.digitalSignature);
    expect(leaf.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([
      x509.ExtendedKeyUsage.serverAuth,
      x509.ExtendedKeyUsage.clientAuth,
    ]);
    expect(leaf.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId).toBe(
      issuerCert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId,
    );
    expect(leaf.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId).toMatch(/^[0-9a-f]{40}$/);
    const other = await signLeaf(issuer, csrPem, { identity: web });
    expect(new x509.X509Certificate(other.certPem).serialNumber).not.toBe(leaf.serialNumber);
  });

  it('never outlives its issuer', async () => {
    const now = new Date();
    const shortIssuer = await createIssuer(anchor, { trustDomain, lifetimeMs: 60_000, now });
    const { csrPem } = await createCsr(web);
    const { validUntil } = await signLeaf(shortIssuer, csrPem, { identity: web, now });
    expect(validUntil).toEqual(inspectCertificate(shortIssuer.certPem).notAfter);
  });

  it('refuses a CSR whose DNS SAN is another identity', async () => {
    const { csrPem } = await createCsr({ ...web, serviceAccount: 'admin' });
    await expectRefusal(signLeaf(issuer, csrPem, { identity: web }), /DNS SAN admin\.shop\..* is not the requested identity web\.shop\./);
  });

  it('refuses a CSR with a second DNS SAN', async () => {
    const csrPem = await csrWithNames([
      { type: 'dns', value: identityName(web) },
      { type: 'dns', value: 'evil.example.com' },
    ]);
    await expectRefusal(signLeaf(issuer, csrPem, { identity: web }), /exactly one DNS SAN.*it has 2/);
  });

  it('refuses a CSR with a foreign URI SAN or an IP SAN', async () => {
    const uri = await csrWithNames([
      { type: 'dns', value: identityName(web) },
      { type: 'url', value: 'spiffe://cluster.local/ns/shop/sa/admin' },
    ]);
    await expectRefusal(signLeaf(issuer, uri, { identity: web }), /URI SANs/);
    const ip = await csrWithNames([
      { type: 'dns', value: identityName(web) },
      { type: 'ip', value: '10.0.0.1' },
    ]);
    await expectRefusal(signLeaf(issuer, ip, { identity: web }), /other than DNS and URI \(ip\)/);
  });

  it('refuses a CSR without SANs, a non-P-256 key, a broken signature and text that is no CSR', async () => {
    const keys = await generateKeyPair();
    const bare = await x509.Pkcs10CertificateRequestGenerator.create({ name: 'CN=x', keys, signingAlgorithm: EC_ALGORITHM });
    await expectRefusal(signLeaf(issuer, bare.toString('pem'), { identity: web }), /one subjectAltName extension \(it has 0\)/);

    const p384 = await csrWithNames([{ type: 'dns', value: identityName(web) }], { name: 'ECDSA', namedCurve: 'P-384' });
    await expectRefusal(signLeaf(issuer, p384, { identity: web }), /must be ECDSA P-256 \(got ec secp384r1\)/);

    const { csrPem } = await createCsr(web);
    const der = Buffer.from(new x509.Pkcs10CertificateRequest(csrPem).rawData);
    const at = der.length - 5; // inside the signature
    der[at] = der[at]! ^ 0xff;
    const tampered = x509.PemConverter.encode(der.buffer.slice(der.byteOffset, der.byteOffset + der.length), 'CERTIFICATE REQUEST');
    await expectRefusal(signLeaf(issuer, tampered, { identity: web }), /signature does not verify|cannot be parsed/);

    await expectRefusal(signLeaf(issuer, 'hello', { identity: web }), /not a PEM certificate request/);
    await expectRefusal(
      signLeaf(issuer, '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n', { identity: web }),
      /cannot be parsed/,
    );
  });

  it('refuses an identity whose parts are not DNS labels', async () => {
    const { csrPem } = await createCsr(web);
    await expectRefusal(signLeaf(issuer, csrPem, { identity: { ...web, namespace: 'Shop' } }), /must be DNS labels/);
    await expectRefusal(signLeaf(issuer, csrPem, { identity: { ...web, trustDomain: 'a b' } }), /trust domain "a b"/);
  });
});

describe('verifyChain', () => {
  it('refuses a leaf from another anchor, and accepts it once that anchor is in the bundle', async () => {
    const otherAnchor = await createTrustAnchor({ trustDomain });
    const otherIssuer = await createIssuer(otherAnchor, { trustDomain });
    const { csrPem } = await createCsr(web);
    const { certPem } = await signLeaf(otherIssuer, csrPem, { identity: web });

    const refused = verifyChain(certPem, [otherIssuer.certPem], [anchor.certPem]);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.reason).toMatch(/intermediate 1 \(CN=identity\.meshviz\.cluster\.local\) is not signed by any/);
    await expect(opensslVerify(certPem, otherIssuer.certPem, anchor.certPem)).rejects.toThrow(/openssl verify refused/);

    expect(verifyChain(certPem, [otherIssuer.certPem], [anchor.certPem, otherAnchor.certPem])).toEqual({ ok: true });
  });

  it('refuses a chain missing its issuer, an expired leaf and a leaf used as a signer', async () => {
    const { csrPem } = await createCsr(web);
    const now = new Date();
    const { certPem } = await signLeaf(issuer, csrPem, { identity: web, lifetimeMs: 60_000, now });
    expect(verifyChain(certPem, [], [anchor.certPem])).toMatchObject({ ok: false, reason: /leaf .* is not signed/ });
    expect(verifyChain(certPem, [issuer.certPem], [anchor.certPem], new Date(now.getTime() + 120_000))).toMatchObject({
      ok: false,
      reason: /leaf .* expired at/,
    });

    // A leaf's key signing another certificate: the signature is real, but the leaf is no CA.
    const { keyPem: leafKey, csrPem: leafCsr } = await createCsr(web);
    const { certPem: leafCert } = await signLeaf(issuer, leafCsr, { identity: web });
    const { certPem: rogue } = await signLeaf({ certPem: leafCert, keyPem: leafKey }, csrPem, { identity: web });
    expect(verifyChain(rogue, [leafCert, issuer.certPem], [anchor.certPem])).toMatchObject({
      ok: false,
      reason: /intermediate 1 .* signs certificates but is not a CA/,
    });
    await expect(opensslVerify(rogue, `${leafCert}${issuer.certPem}`, anchor.certPem)).rejects.toThrow(/openssl verify refused/);
    expect(verifyChain(certPem, [issuer.certPem], [])).toEqual({ ok: false, reason: 'no trust anchors given' });
    expect(verifyChain('junk', [], [anchor.certPem])).toEqual({ ok: false, reason: 'leaf: no PEM certificate found' });
  });
});
