/** TLS record type of a handshake message, and the largest record TLS allows (2^14 plus expansion). */
const HANDSHAKE = 0x16;
const CLIENT_HELLO = 0x01;
const MAX_RECORD = 16_384 + 2_048;
const SERVER_NAME_EXTENSION = 0x0000;
const HOST_NAME = 0x00;

/**
 * Whether the first bytes of a connection open a TLS handshake: undefined while too few bytes have arrived to
 * say, false when they are not TLS, true once the whole first record (the ClientHello) is buffered, so the server
 * name can be read from it.
 */
export function isTlsClientHello(bytes: Buffer): boolean | undefined {
  if (bytes.length === 0) return undefined;
  if (bytes[0] !== HANDSHAKE) return false;
  if (bytes.length < 3) return undefined;
  if (bytes[1] !== 0x03 || bytes[2]! > 0x04) return false;
  if (bytes.length < 5) return undefined;
  const length = bytes.readUInt16BE(3);
  if (length === 0 || length > MAX_RECORD) return false;
  return bytes.length >= 5 + length ? true : undefined;
}

/**
 * The server name (SNI) a ClientHello asks for, lower-cased, or undefined when it names none or the hello is
 * malformed. Reads only the first record: a meshed client's hello always fits in one.
 */
export function clientHelloServerName(bytes: Buffer): string | undefined {
  const end = Math.min(bytes.length, 5 + bytes.readUInt16BE(3));
  let at = 5;
  if (bytes[at] !== CLIENT_HELLO) return undefined;
  at += 4; // type, 24-bit length
  at += 2 + 32; // legacy version, random
  const skip = (lengthBytes: 1 | 2): boolean => {
    if (at + lengthBytes > end) return false;
    const length = lengthBytes === 1 ? bytes[at]! : bytes.readUInt16BE(at);
    at += lengthBytes + length;
    return at <= end;
  };
  if (!skip(1) || !skip(2) || !skip(1)) return undefined; // session id, cipher suites, compression methods
  if (at + 2 > end) return undefined;
  const extensionsEnd = Math.min(end, at + 2 + bytes.readUInt16BE(at));
  at += 2;
  while (at + 4 <= extensionsEnd) {
    const type = bytes.readUInt16BE(at);
    const length = bytes.readUInt16BE(at + 2);
    at += 4;
    if (at + length > extensionsEnd) return undefined;
    if (type === SERVER_NAME_EXTENSION) return serverName(bytes.subarray(at, at + length));
    at += length;
  }
  return undefined;
}

function serverName(ext: Buffer): string | undefined {
  if (ext.length < 2) return undefined;
  const listEnd = Math.min(ext.length, 2 + ext.readUInt16BE(0));
  let at = 2;
  while (at + 3 <= listEnd) {
    const type = ext[at]!;
    const length = ext.readUInt16BE(at + 1);
    at += 3;
    if (at + length > listEnd) return undefined;
    if (type === HOST_NAME) return ext.subarray(at, at + length).toString('latin1').toLowerCase();
    at += length;
  }
  return undefined;
}
