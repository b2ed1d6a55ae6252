import { createPrivateKey, createPublicKey, type KeyObject, type webcrypto } from 'node:crypto';
import { EC_ALGORITHM, subtle } from './x509-lib.js';

/** A fresh P-256 key pair that stays in memory; the private half is exportable once, as PKCS#8 PEM. */
export async function generateKeyPair(): Promise<webcrypto.CryptoKeyPair> {
  return (await subtle.generateKey(EC_ALGORITHM, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
}

/** PKCS#8 PEM, the form node:tls `createSecureContext({ key })` and the trust files take. */
export async function exportPrivateKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await subtle.exportKey('pkcs8', key));
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ format: 'pem', type: 'pkcs8' }).toString();
}

/**
 * Reads a P-256 private key from PEM, PKCS#8 or SEC1 ("EC PRIVATE KEY", what `openssl ecparam -genkey` writes), so
 * users can bring an anchor key made with their own tools. Throws naming what is wrong.
 */
export function readPrivateKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw new Error(`not a PEM private key (${(error as Error).message})`, { cause: error });
  }
  assertP256(key);
  return key;
}

/** The key as a WebCrypto signing key, for @peculiar/x509. */
export async function importSigningKey(pem: string): Promise<webcrypto.CryptoKey> {
  const der = readPrivateKey(pem).export({ format: 'der', type: 'pkcs8' });
  return subtle.importKey('pkcs8', der, EC_ALGORITHM, false, ['sign']);
}

/** True when the private key is the one whose public half is `spkiDer`. */
export function keyMatchesPublicKey(privateKey: KeyObject, spkiDer: ArrayBuffer | Uint8Array): boolean {
  const own = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return own.equals(Buffer.from(spkiDer instanceof Uint8Array ? spkiDer : new Uint8Array(spkiDer)));
}

/** Throws unless `spkiDer` holds an EC P-256 public key. */
export function assertP256PublicKey(spkiDer: ArrayBuffer): void {
  assertP256(createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' }));
}

function assertP256(key: KeyObject): void {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType !== 'ec' || curve !== 'prime256v1') {
    throw new Error(`the key must be ECDSA P-256 (got ${key.asymmetricKeyType}${curve ? ` ${curve}` : ''})`);
  }
}
