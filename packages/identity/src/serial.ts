import { randomBytes } from 'node:crypto';

/**
 * 16 random bytes as hex, top bit cleared: serials must be positive DER integers (RFC 5280 §4.1.2.2), and a
 * random one never repeats between issuers that do not know about each other. A non-zero first byte keeps the hex
 * its own minimal DER form.
 */
export function randomSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString('hex');
}
