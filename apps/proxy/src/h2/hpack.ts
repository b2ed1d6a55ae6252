import { HpackError } from './hpack-error.js';
import { DynamicTable, entrySize, STATIC_TABLE } from './hpack-table.js';
import { huffmanDecode, huffmanEncode, huffmanLength } from './huffman.js';

/**
 * HPACK (RFC 7541) for the proxy's own HTTP/2 framing. Header lists are flat arrays (name, value, …) as the
 * proxy's stages carry them; names and values are latin1 strings, one char per octet, as Node's raw headers are.
 */

/**
 * A header block that decoded correctly but lists more than the receiver allows (SETTINGS_MAX_HEADER_LIST_SIZE,
 * counted as RFC 9113 §6.5.2 does). The dynamic table is still in step with the peer's, so only the stream fails.
 */
export class HeaderListTooLarge extends Error {
  override readonly name = 'HeaderListTooLarge';
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(`header list of at least ${size} octets exceeds ${limit}`);
  }
}

/** Integers above this are refused rather than risk losing precision (no legitimate field needs more). */
const MAX_INTEGER = 2 ** 31 - 1;
const STATIC_LENGTH = STATIC_TABLE.length;

export interface DecoderOptions {
  /** SETTINGS_HEADER_TABLE_SIZE this side announced: the most the peer may make the dynamic table. */
  readonly maxTableSize: number;
  /** SETTINGS_MAX_HEADER_LIST_SIZE this side announced. */
  readonly maxListSize: number;
}

export class HpackDecoder {
  private readonly table: DynamicTable;
  private offset = 0;

  constructor(private readonly options: DecoderOptions) {
    this.table = new DynamicTable(options.maxTableSize);
  }

  /**
   * Decodes one complete header block (HEADERS plus its CONTINUATIONs). Throws HpackError for anything malformed
   * and HeaderListTooLarge, after the whole block was processed, for a list beyond the limit.
   */
  decode(block: Buffer): string[] {
    const fields: string[] = [];
    const { maxListSize } = this.options;
    let listSize = 0;
    let fieldSeen = false;
    this.offset = 0;
    while (this.offset < block.length) {
      const first = block[this.offset] ?? 0;
      let name: string;
      let value: string;
      if (first & 0x80) {
        const index = this.integer(block, 7);
        name = this.nameAt(index);
        value = this.valueAt(index);
      } else if ((first & 0xe0) === 0x20) {
        // Dynamic table size update: only before the first field (§4.2), never above our setting.
        if (fieldSeen) throw new HpackError('dynamic table size update after a header field');
        const size = this.integer(block, 5);
        if (size > this.options.maxTableSize) {
          throw new HpackError(`dynamic table size ${size} exceeds the ${this.options.maxTableSize} allowed`);
        }
        this.table.resize(size);
        continue;
      } else {
        const indexing = (first & 0xc0) === 0x40;
        const index = this.integer(block, indexing ? 6 : 4);
        name = index === 0 ? this.string(block) : this.nameAt(index);
        value = this.string(block);
        if (indexing) this.table.add(name, value);
      }
      fieldSeen = true;
      listSize += entrySize(name, value);
      // Past the limit the rest is still decoded (the table must stay in step) but no longer kept.
      if (listSize <= maxListSize) fields.push(name, value);
    }
    if (listSize > maxListSize) throw new HeaderListTooLarge(listSize, maxListSize);
    return fields;
  }

  private nameAt(index: number): string {
    if (index === 0) throw new HpackError('index 0 is not a table entry');
    if (index <= STATIC_LENGTH) return STATIC_TABLE[index - 1]?.[0] ?? '';
    return this.table.name(index - STATIC_LENGTH - 1);
  }

  private valueAt(index: number): string {
    if (index <= STATIC_LENGTH) return STATIC_TABLE[index - 1]?.[1] ?? '';
    return this.table.value(index - STATIC_LENGTH - 1);
  }

  /** An integer with an N-bit prefix (§5.1) at the current offset. */
  private integer(block: Buffer, prefixBits: number): number {
    const mask = (1 << prefixBits) - 1;
    let value = (block[this.offset++] ?? 0) & mask;
    if (value < mask) return value;
    let shift = 0;
    for (;;) {
      if (this.offset >= block.length) throw new HpackError('header block ends inside an integer');
      const byte = block[this.offset++] ?? 0;
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if (value > MAX_INTEGER) throw new HpackError('integer exceeds 2^31 - 1');
      if ((byte & 0x80) === 0) return value;
    }
  }

  /** A string literal (§5.2) at the current offset. */
  private string(block: Buffer): string {
    if (this.offset >= block.length) throw new HpackError('header block ends before a string');
    const huffman = ((block[this.offset] ?? 0) & 0x80) !== 0;
    const length = this.integer(block, 7);
    const start = this.offset;
    if (length > block.length - start) throw new HpackError(`string of ${length} octets overruns the header block`);
    this.offset = start + length;
    return huffman ? huffmanDecode(block, start, length) : block.toString('latin1', start, start + length);
  }
}

/** Never put in a table: credentials (§7.1.3). */
const NEVER_INDEXED = new Set(['authorization', 'proxy-authorization', 'cookie']);
/** Values that change with nearly every message: indexing them would only churn the table. */
const NOT_INDEXED = new Set([':path', 'content-length', 'date', 'etag', 'last-modified', 'set-cookie', 'grpc-timeout']);

/**
 * Fields are looked up by name, then value: a joined `name\0value` key would cost a new string per field of
 * every header block encoded.
 */
type FieldIndex = Map<string, Map<string, number>>;

function lookup(index: FieldIndex, name: string, value: string): number | undefined {
  return index.get(name)?.get(value);
}

const STATIC_FIELDS: FieldIndex = new Map();
const STATIC_NAMES = new Map<string, number>();
STATIC_TABLE.forEach(([name, value], i) => {
  let values = STATIC_FIELDS.get(name);
  if (!values) {
    values = new Map();
    STATIC_FIELDS.set(name, values);
  }
  if (value !== '' && !values.has(value)) values.set(value, i + 1);
  if (!STATIC_NAMES.has(name)) STATIC_NAMES.set(name, i + 1);
});

export class HpackEncoder {
  private readonly table: DynamicTable;
  /** Insertion number of the newest entry per field and per name; an entry's index follows from it. */
  private readonly fields: FieldIndex = new Map();
  private readonly names = new Map<string, number>();
  private fieldCount = 0;
  private inserted = 0;
  /** Size updates owed at the start of the next block: the smallest since the last one, then the final. */
  private smallest: number | undefined;

  constructor(maxTableSize = 4096) {
    this.table = new DynamicTable(maxTableSize);
  }

  /** The peer's SETTINGS_HEADER_TABLE_SIZE (§4.2): the table follows it, and the next block says so. */
  setMaxTableSize(size: number): void {
    if (size === this.table.maxSize && this.smallest === undefined) return;
    this.smallest = Math.min(this.smallest ?? size, size);
    this.table.resize(size);
  }

  /**
   * Encodes a flat list (name, value, …) as one header block, after `headroom` octets left free for the caller
   * (a frame head, so the block need not be copied into its frame).
   */
  encode(list: readonly string[], headroom = 0): Buffer {
    let bound = 12 + headroom;
    for (let i = 0; i < list.length; i++) bound += (list[i] ?? '').length + 8;
    const out = Buffer.allocUnsafe(bound);
    let o = headroom;
    if (this.smallest !== undefined) {
      if (this.smallest < this.table.maxSize) o = writeInteger(out, o, 0x20, 5, this.smallest);
      o = writeInteger(out, o, 0x20, 5, this.table.maxSize);
      this.smallest = undefined;
    }
    for (let i = 0; i < list.length; i += 2) {
      const name = list[i] ?? '';
      const value = list[i + 1] ?? '';
      const exact = lookup(STATIC_FIELDS, name, value) ?? this.dynamicIndex(lookup(this.fields, name, value));
      if (exact !== undefined) {
        o = writeInteger(out, o, 0x80, 7, exact);
        continue;
      }
      const nameIndex = STATIC_NAMES.get(name) ?? this.dynamicIndex(this.names.get(name)) ?? 0;
      const never = NEVER_INDEXED.has(name);
      const index =
        !never && !NOT_INDEXED.has(name) && entrySize(name, value) <= this.table.maxSize / 2;
      if (index) o = writeInteger(out, o, 0x40, 6, nameIndex);
      else o = writeInteger(out, o, never ? 0x10 : 0x00, 4, nameIndex);
      if (nameIndex === 0) o = writeString(out, o, name);
      o = writeString(out, o, value);
      if (index) this.remember(name, value);
    }
    return out.subarray(0, o);
  }

  private dynamicIndex(insertion: number | undefined): number | undefined {
    if (insertion === undefined) return undefined;
    const index = this.inserted - 1 - insertion;
    return index < this.table.length ? STATIC_LENGTH + 1 + index : undefined;
  }

  private remember(name: string, value: string): void {
    this.table.add(name, value);
    if (entrySize(name, value) > this.table.maxSize) return;
    let values = this.fields.get(name);
    if (!values) {
      values = new Map();
      this.fields.set(name, values);
    }
    if (!values.has(value)) this.fieldCount += 1;
    values.set(value, this.inserted);
    this.names.set(name, this.inserted);
    this.inserted += 1;
    // Forget what was evicted so the maps stay as small as the table.
    if (this.fieldCount > this.table.length * 2 + 16) this.prune();
  }

  private prune(): void {
    const oldest = this.inserted - this.table.length;
    for (const [name, values] of this.fields) {
      for (const [value, n] of values) {
        if (n >= oldest) continue;
        values.delete(value);
        this.fieldCount -= 1;
      }
      if (values.size === 0) this.fields.delete(name);
    }
    for (const [key, n] of this.names) if (n < oldest) this.names.delete(key);
  }
}

function writeInteger(out: Buffer, offset: number, flags: number, prefixBits: number, value: number): number {
  let o = offset;
  const mask = (1 << prefixBits) - 1;
  if (value < mask) {
    out[o++] = flags | value;
    return o;
  }
  out[o++] = flags | mask;
  let rest = value - mask;
  while (rest >= 0x80) {
    out[o++] = (rest % 0x80) | 0x80;
    rest = Math.floor(rest / 0x80);
  }
  out[o++] = rest;
  return o;
}

/** A string literal, Huffman-coded when that is shorter. */
function writeString(out: Buffer, offset: number, value: string): number {
  const coded = huffmanLength(value);
  if (coded < value.length) {
    const o = writeInteger(out, offset, 0x80, 7, coded);
    return huffmanEncode(value, out, o);
  }
  const o = writeInteger(out, offset, 0x00, 7, value.length);
  return o + out.write(value, o, 'latin1');
}
