// The few DER (ITU-T X.690) encodings a PKCS#10 request needs, so the proxy can build one without an X.509
// library: only encoding, of values this package chooses itself, so nothing here parses untrusted input.

/** Tag, definite length, content: one DER element. */
export function element(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.of(tag), lengthOctets(content.length), content]);
}

/** Short form below 128, else long form with the fewest octets (DER allows no other). */
function lengthOctets(length: number): Buffer {
  if (length < 0x80) return Buffer.of(length);
  const octets: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) octets.unshift(rest % 256);
  return Buffer.of(0x80 | octets.length, ...octets);
}

export function sequence(...items: Uint8Array[]): Buffer {
  return element(0x30, Buffer.concat(items));
}

/** A SET OF; DER wants its elements sorted by their encodings. */
export function setOf(...items: Buffer[]): Buffer {
  return element(0x31, Buffer.concat([...items].sort(Buffer.compare)));
}

/** A small non-negative INTEGER (versions): one content octet. */
export function smallInteger(value: number): Buffer {
  if (!Number.isInteger(value) || value < 0 || value > 0x7f) throw new RangeError(`smallInteger takes 0..127 (got ${value})`);
  return element(0x02, Buffer.of(value));
}

/** An OBJECT IDENTIFIER from its dotted form: the first two arcs in one octet, each arc in base 128. */
export function objectIdentifier(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const [first, second, ...rest] = arcs;
  if (first === undefined || second === undefined || arcs.some((arc) => !Number.isSafeInteger(arc) || arc < 0)) {
    throw new Error(`not an object identifier: ${dotted}`);
  }
  const octets: number[] = [];
  for (const arc of [first * 40 + second, ...rest]) {
    const base128: number[] = [arc % 128];
    for (let high = Math.floor(arc / 128); high > 0; high = Math.floor(high / 128)) base128.unshift(0x80 | high % 128);
    octets.push(...base128);
  }
  return element(0x06, Buffer.from(octets));
}

/** PrintableString's alphabet (X.680 41.4). */
const PRINTABLE_RE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/** A directory string: PrintableString when the text fits its alphabet (identity names always do), else UTF8String. */
export function directoryString(text: string): Buffer {
  return PRINTABLE_RE.test(text) ? element(0x13, Buffer.from(text, 'latin1')) : element(0x0c, Buffer.from(text, 'utf8'));
}

/** An IA5String's content (ASCII), as GeneralName's dNSName and uniformResourceIdentifier carry it. */
export function ia5(text: string): Buffer {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the range is the point, IA5 is 7-bit.
  if (!/^[\x00-\x7f]*$/.test(text)) throw new Error(`not an IA5 (ASCII) string: ${JSON.stringify(text)}`);
  return Buffer.from(text, 'latin1');
}

export function octetString(content: Uint8Array): Buffer {
  return element(0x04, content);
}

/** A BIT STRING of whole octets (no unused bits), as keys and signatures are. */
export function bitString(content: Uint8Array): Buffer {
  return element(0x03, Buffer.concat([Buffer.of(0), content]));
}

/** A context-specific tag `[number]`; constructed for IMPLICIT SET/SEQUENCE, primitive for IMPLICIT strings. */
export function contextTag(number: number, content: Uint8Array, constructed: boolean): Buffer {
  if (number > 30) throw new RangeError(`context tags above 30 need the long form (got ${number})`);
  return element((constructed ? 0xa0 : 0x80) | number, content);
}
