import { createPrivateKey, createPublicKey } from 'node:crypto';
import { identityName, spiffeId, type WorkloadIdentity } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { createIssuer, createTrustAnchor } from './authority.js';
import { createCsr } from './csr.js';
import { inspectCertificate } from './inspect.js';
import { keyMatchesPublicKey } from './keys.js';
import { signLeaf } from './sign-leaf.js';
import { opensslReq } from './testing/openssl-req.js';
import { EC_ALGORITHM, subtle, x509 } from './x509-lib.js';

const web: WorkloadIdentity = { serviceAccount: 'web', namespace: 'shop', trustDomain: 'cluster.local' };
const name = identityName(web);

/** The DER of a PEM request. */
function der(pem: string): Buffer {
  return Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
}

/** The first element inside a DER SEQUENCE at `offset`'s content, and where the next one starts. */
function child(buffer: Buffer, offset: number): { bytes: Buffer; end: number } {
  const first = buffer[offset + 1]!;
  const lengthOctets = first < 0x80 ? 0 : first & 0x7f;
  let length = first < 0x80 ? first : 0;
  for (let i = 0; i < lengthOctets; i++) length = length * 256 + buffer[offset + 2 + i]!;
  const end = offset + 2 + lengthOctets + length;
  return { bytes: buffer.subarray(offset, end), end };
}

/** CertificationRequestInfo and signatureAlgorithm of a request: everything but the (randomised) signature. */
function signedParts(pem: string): { info: Buffer; algorithm: Buffer } {
  const whole = der(pem);
  const outerHeader = whole[1]! < 0x80 ? 2 : 2 + (whole[1]! & 0x7f);
  const info = child(whole, outerHeader);
  return { info: info.bytes, algorithm: child(whole, info.end).bytes };
}

describe('createCsr', () => {
  it('is the request the X.509 library builds for the same key: same subject, SANs, attributes and algorithm', async () => {
    const { keyPem, csrPem } = await createCsr(web);
    const privateKey = createPrivateKey(keyPem);
    const keys = {
      privateKey: await subtle.importKey('pkcs8', privateKey.export({ format: 'der', type: 'pkcs8' }), EC_ALGORITHM, false, ['sign']),
      publicKey: await subtle.importKey('spki', createPublicKey(privateKey).export({ format: 'der', type: 'spki' }), EC_ALGORITHM, true, ['verify']),
    };
    const reference = await x509.Pkcs10CertificateRequestGenerator.create({
      name: `CN=${name}`,
      keys,
      signingAlgorithm: EC_ALGORITHM,
      extensions: [
        new x509.SubjectAlternativeNameExtension([
          { type: 'dns', value: name },
          { type: 'url', value: spiffeId(web) },
        ]),
      ],
    });
    const ours = signedParts(csrPem);
    const theirs = signedParts(reference.toString('pem'));
    expect(ours.info.toString('hex')).toBe(theirs.info.toString('hex'));
    expect(ours.algorithm.toString('hex')).toBe(theirs.algorithm.toString('hex'));
  });

  it('parses and verifies with the X.509 library, with the identity SANs and a P-256 key matching the private key', async () => {
    const { keyPem, csrPem } = await createCsr(web);
    expect(csrPem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----\n([A-Za-z0-9+/=]{1,64}\n)+-----END CERTIFICATE REQUEST-----\n$/);
    const csr = new x509.Pkcs10CertificateRequest(csrPem);
    expect(await csr.verify()).toBe(true);
    expect(csr.subject).toBe(`CN=${name}`);
    expect(csr.extensions.map((extension) => extension.type)).toEqual(['2.5.29.17']);
    // Read the way the identity service reads it (sign-leaf.ts).
    const sans = new x509.SubjectAlternativeNameExtension(csr.extensions[0]!.rawData);
    expect(sans.critical).toBe(false);
    expect(sans.names.toJSON()).toEqual([
      { type: 'dns', value: name },
      { type: 'url', value: spiffeId(web) },
    ]);
    expect(csr.signatureAlgorithm).toMatchObject({ name: 'ECDSA', hash: { name: 'SHA-256' } });
    const privateKey = createPrivateKey(keyPem);
    expect(privateKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(keyMatchesPublicKey(privateKey, csr.publicKey.rawData)).toBe(true);
    expect(keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  it('verifies with openssl req', async () => {
    const { csrPem } = await createCsr(web);
    const out = await opensslReq(csrPem);
    expect(out).toMatch(/verify OK/);
    expect(out).toMatch(new RegExp(`Subject: CN ?= ?${name.replaceAll('.', '\\.')}\\n`));
    expect(out).toMatch(/ASN1 OID: prime256v1/);
    expect(out).toMatch(/Signature Algorithm: ecdsa-with-SHA256/);
    expect(out).toContain(`X509v3 Subject Alternative Name: \n                    DNS:${name}, URI:${spiffeId(web)}\n`);
  });

  it('is signed by the identity service code, which names the leaf after the identity', async () => {
    const anchor = await createTrustAnchor({ trustDomain: web.trustDomain });
    const issuer = await createIssuer(anchor, { trustDomain: web.trustDomain });
    const { keyPem, csrPem } = await createCsr(web);
    const { certPem } = await signLeaf(issuer, csrPem, { identity: web });
    const leaf = inspectCertificate(certPem);
    expect(leaf.dnsNames).toEqual([name]);
    expect(leaf.uris).toEqual([spiffeId(web)]);
    expect(keyMatchesPublicKey(createPrivateKey(keyPem), new x509.X509Certificate(certPem).publicKey.rawData)).toBe(true);
  });

  it('makes a fresh key every time and refuses a malformed identity', async () => {
    const [a, b] = await Promise.all([createCsr(web), createCsr(web)]);
    expect(a.keyPem).not.toBe(b.keyPem);
    await expect(createCsr({ ...web, serviceAccount: 'Web' })).rejects.toThrow();
  });
});
