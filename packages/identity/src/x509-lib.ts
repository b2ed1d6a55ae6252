// tsyringe, which @peculiar/x509 uses inside, throws at load unless the Reflect metadata polyfill is already there,
// so every module of this package takes the library from here, where the polyfill is imported first.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

// Node's own WebCrypto, named explicitly rather than left to the library's guess at globals.
x509.cryptoProvider.set(webcrypto);

export { x509 };

/** ECDSA P-256 with SHA-256: the one algorithm of every key and signature in the mesh. */
export const EC_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

export const subtle = webcrypto.subtle;

/**
 * PEM of a certificate or request, ending in a newline: the library's own PEM has none, and certificates joined
 * into a bundle (leaf + issuer, old + new anchors) must each start on a line of their own.
 */
export function pemText(object: x509.X509Certificate | x509.Pkcs10CertificateRequest): string {
  return `${object.toString('pem').trimEnd()}\n`;
}
