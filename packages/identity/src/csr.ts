import { generateKeyPair, type KeyObject, sign } from 'node:crypto';
import { promisify } from 'node:util';
import { identityName, spiffeId, type WorkloadIdentity } from '@meshviz/mesh-types';
import { bitString, contextTag, directoryString, ia5, objectIdentifier, octetString, sequence, setOf, smallInteger } from './der.js';
import { assertWorkloadIdentity } from './names.js';

// Built with node:crypto and a small DER encoder rather than the X.509 library: a proxy certifies every day, and
// loading the library (with its dependency injection and ASN.1 schema modules) cost it ~8 MB of RSS for this alone.

const OID = {
  commonName: '2.5.4.3',
  extensionRequest: '1.2.840.113549.1.9.14',
  subjectAltName: '2.5.29.17',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
} as const;

/** GeneralName choices (RFC 5280 4.2.1.6), IMPLICIT IA5String. */
const DNS_NAME = 2;
const URI = 6;

const generateEcKeyPair = promisify(generateKeyPair);

/**
 * A fresh P-256 key and a PKCS#10 request (RFC 2986) for `identity`: subject CN = the identity name, one DNS SAN
 * (the identity name) and one URI SAN (the SPIFFE ID) in an extensionRequest attribute, signed ECDSA with SHA-256.
 * The key never leaves the caller; only the CSR goes to the identity service.
 */
export async function createCsr(identity: WorkloadIdentity): Promise<{ keyPem: string; csrPem: string }> {
  assertWorkloadIdentity(identity);
  const { privateKey, publicKey } = await generateEcKeyPair('ec', { namedCurve: 'prime256v1' });
  const csrDer = certificationRequest(identityName(identity), spiffeId(identity), publicKey, privateKey);
  const keyPem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  return { keyPem, csrPem: pem('CERTIFICATE REQUEST', csrDer) };
}

function certificationRequest(name: string, uri: string, publicKey: KeyObject, privateKey: KeyObject): Buffer {
  const subjectAltName = sequence(contextTag(DNS_NAME, ia5(name), false), contextTag(URI, ia5(uri), false));
  const extensions = sequence(sequence(objectIdentifier(OID.subjectAltName), octetString(subjectAltName)));
  const info = sequence(
    smallInteger(0), // version v1
    sequence(setOf(sequence(objectIdentifier(OID.commonName), directoryString(name)))),
    publicKey.export({ format: 'der', type: 'spki' }), // SubjectPublicKeyInfo: id-ecPublicKey, prime256v1
    contextTag(0, sequence(objectIdentifier(OID.extensionRequest), setOf(extensions)), true), // attributes
  );
  // ecdsa-with-SHA256 takes no parameters (RFC 5758 3.2); the signature is the DER Ecdsa-Sig-Value.
  const signature = sign('sha256', info, { key: privateKey, dsaEncoding: 'der' });
  return sequence(info, sequence(objectIdentifier(OID.ecdsaWithSha256)), bitString(signature));
}

/** PEM with 64-character lines, ending in a newline, as the library wrote it and openssl expects. */
function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
