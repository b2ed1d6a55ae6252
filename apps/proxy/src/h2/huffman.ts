import { HpackError } from './hpack-error.js';

/**
 * The Huffman code of HPACK (RFC 7541 Appendix B). The code is canonical: codes of one length are consecutive in
 * symbol order and each length continues from the last code of the shorter one, so the bit length per symbol
 * (0–255, then EOS as 256) fixes every code.
 */
const LENGTHS = [
  13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28,
  28, 28, 28, 6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12,
  10, 13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6, 15, 5, 6,
  5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28, 20, 22, 20, 20, 22, 22,
  22, 23, 22, 23, 23, 23, 23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24, 22, 21, 20,
  22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
  26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, 19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28,
  27, 27, 27, 20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, 26, 27, 26, 26, 27, 27, 27, 27, 27, 28,
  27, 27, 27, 27, 27, 26, 30,
];
const EOS = 256;

/** Code of each symbol, right-aligned in its length. */
const CODES = canonicalCodes();

function canonicalCodes(): number[] {
  const order = LENGTHS.map((_, symbol) => symbol).sort((a, b) => (LENGTHS[a] ?? 0) - (LENGTHS[b] ?? 0) || a - b);
  const codes: number[] = new Array(LENGTHS.length).fill(0);
  let code = 0;
  let previous = LENGTHS[order[0] ?? 0] ?? 0;
  for (const symbol of order) {
    const length = LENGTHS[symbol] ?? 0;
    code *= 2 ** (length - previous);
    previous = length;
    codes[symbol] = code;
    code += 1;
  }
  return codes;
}

/**
 * Decoding walks the code tree four bits at a time. Internal nodes are the states (0 is the root); for each state
 * and nibble the table holds the next state, the symbol completed on the way (at most one: no code is shorter
 * than five bits), and whether EOS was met (an error inside a string, RFC 7541 §5.2).
 */
const NONE = 0x1ff;
const FAILED = 1 << 17;
const { table: NIBBLE_TABLE, acceptsEnd: ACCEPTS_END } = buildDecoder();

function buildDecoder(): { table: Int32Array; acceptsEnd: Uint8Array } {
  // Children per internal node: >= 0 another internal node, < 0 a leaf holding symbol -child - 1.
  const zero: number[] = [0];
  const one: number[] = [0];
  const depth: number[] = [0];
  const allOnes: boolean[] = [true];
  for (let symbol = 0; symbol < LENGTHS.length; symbol++) {
    const length = LENGTHS[symbol] ?? 0;
    const code = CODES[symbol] ?? 0;
    let node = 0;
    for (let i = length - 1; i >= 0; i--) {
      const bit = Math.floor(code / 2 ** i) % 2;
      const children = bit === 0 ? zero : one;
      if (i === 0) {
        children[node] = -symbol - 1;
        break;
      }
      let next = children[node] ?? 0;
      if (next === 0) {
        next = zero.length;
        zero.push(0);
        one.push(0);
        depth.push((depth[node] ?? 0) + 1);
        allOnes.push((allOnes[node] ?? false) && bit === 1);
        children[node] = next;
      }
      node = next;
    }
  }
  const states = zero.length;
  const table = new Int32Array(states * 16);
  const acceptsEnd = new Uint8Array(states);
  for (let state = 0; state < states; state++) {
    // Padding is at most seven bits, all ones (the start of EOS).
    acceptsEnd[state] = state === 0 || ((depth[state] ?? 8) <= 7 && allOnes[state]) ? 1 : 0;
    for (let nibble = 0; nibble < 16; nibble++) {
      let node = state;
      let emitted = NONE;
      let failed = 0;
      for (let i = 3; i >= 0; i--) {
        const child = ((nibble >> i) & 1) === 0 ? (zero[node] ?? 0) : (one[node] ?? 0);
        if (child < 0) {
          const symbol = -child - 1;
          if (symbol === EOS) failed = FAILED;
          else emitted = symbol;
          node = 0;
        } else node = child;
      }
      table[state * 16 + nibble] = node | (emitted << 8) | failed;
    }
  }
  return { table, acceptsEnd };
}

let scratch = Buffer.allocUnsafe(256);

/** Decodes `length` Huffman-coded octets of `input` from `offset` into a latin1 string (one char per octet). */
export function huffmanDecode(input: Uint8Array, offset: number, length: number): string {
  // Every symbol takes at least five bits, so the output is at most 8/5 of the input.
  const bound = Math.ceil((length * 8) / 5);
  if (scratch.length < bound) scratch = Buffer.allocUnsafe(bound);
  const out = scratch;
  let written = 0;
  let state = 0;
  const end = offset + length;
  for (let i = offset; i < end; i++) {
    const byte = input[i] ?? 0;
    const high = NIBBLE_TABLE[state * 16 + (byte >> 4)] ?? FAILED;
    if (high & FAILED) throw new HpackError('Huffman-coded string contains EOS');
    if (((high >> 8) & NONE) !== NONE) out[written++] = (high >> 8) & NONE;
    const low = NIBBLE_TABLE[(high & 0xff) * 16 + (byte & 0x0f)] ?? FAILED;
    if (low & FAILED) throw new HpackError('Huffman-coded string contains EOS');
    if (((low >> 8) & NONE) !== NONE) out[written++] = (low >> 8) & NONE;
    state = low & 0xff;
  }
  if (!ACCEPTS_END[state]) throw new HpackError('Huffman-coded string has invalid padding');
  return out.toString('latin1', 0, written);
}

/** Octets the Huffman coding of a latin1 string takes. */
export function huffmanLength(value: string): number {
  let bits = 0;
  for (let i = 0; i < value.length; i++) bits += LENGTHS[value.charCodeAt(i) & 0xff] ?? 0;
  return Math.ceil(bits / 8);
}

/** Writes the Huffman coding of a latin1 string at `offset`; returns the offset after it. */
export function huffmanEncode(value: string, out: Uint8Array, offset: number): number {
  let o = offset;
  let pending = 0; // bits not yet written, right-aligned in `acc` (fewer than 8 between symbols)
  let acc = 0;
  for (let i = 0; i < value.length; i++) {
    const symbol = value.charCodeAt(i) & 0xff;
    const length = LENGTHS[symbol] ?? 0;
    acc = acc * 2 ** length + (CODES[symbol] ?? 0);
    pending += length;
    while (pending >= 8) {
      pending -= 8;
      const shift = 2 ** pending;
      out[o++] = Math.floor(acc / shift) & 0xff;
      acc %= shift;
    }
  }
  // Pad with the most significant bits of EOS, all ones.
  if (pending > 0) out[o++] = ((acc << (8 - pending)) | (0xff >> pending)) & 0xff;
  return o;
}
