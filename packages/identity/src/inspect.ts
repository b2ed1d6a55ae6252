import { X509Certificate as NodeCertificate } from 'node:crypto';
import { x509 } from './x509-lib.js';

export interface CertificateSummary {
  subject: string;
  issuer: string;
  dnsNames: string[];
  uris: string[];
  notBefore: Date;
  notAfter: Date;
  isCa: boolean;
  /** SHA-256 of the DER, colon-separated upper-case hex, as `openssl x509 -fingerprint -sha256` prints it. */
  fingerprintSha256: string;
}

const PEM_CERT_RE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** The certificates of a PEM bundle (old and new anchors during a rotation, say), each normalised to end in "\n". */
export function splitPemBundle(text: string): string[] {
  return Array.from(text.matchAll(PEM_CERT_RE), (match) => `${match[0]}\n`);
}

/** What people and `meshviz check` want to know about a certificate. Throws when `pem` is not one. */
export function inspectCertificate(pem: string): CertificateSummary {
  const cert = parseCertificate(pem);
  const sans = cert.getExtensions<x509.SubjectAlternativeNameExtension>(x509.SubjectAlternativeNameExtension);
  // Plain arrays: the library's lists are Array subclasses that print and serialise oddly.
  const names = Array.from(sans).flatMap((san) => Array.from(san.names.toJSON()));
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    dnsNames: names.filter((name) => name.type === 'dns').map((name) => name.value),
    uris: names.filter((name) => name.type === 'url').map((name) => name.value),
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    isCa: cert.getExtension(x509.BasicConstraintsExtension)?.ca ?? false,
    fingerprintSha256: new NodeCertificate(Buffer.from(cert.rawData)).fingerprint256,
  };
}

/** Parses one PEM certificate; the error says what was wrong rather than the ASN.1 decoder's words alone. */
export function parseCertificate(pem: string): x509.X509Certificate {
  const [first, ...rest] = splitPemBundle(pem);
  if (!first) throw new Error('no PEM certificate found');
  if (rest.length > 0) throw new Error(`expected one certificate, found ${rest.length + 1}`);
  try {
    return new x509.X509Certificate(first);
  } catch (error) {
    throw new Error(`the certificate cannot be parsed (${(error as Error).message})`, { cause: error });
  }
}
