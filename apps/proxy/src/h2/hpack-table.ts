import { HpackError } from './hpack-error.js';

/** RFC 7541 Appendix A: the static table, index 1 first. */
export const STATIC_TABLE: readonly (readonly [string, string])[] = [
  [':authority', ''],
  [':method', 'GET'],
  [':method', 'POST'],
  [':path', '/'],
  [':path', '/index.html'],
  [':scheme', 'http'],
  [':scheme', 'https'],
  [':status', '200'],
  [':status', '204'],
  [':status', '206'],
  [':status', '304'],
  [':status', '400'],
  [':status', '404'],
  [':status', '500'],
  ['accept-charset', ''],
  ['accept-encoding', 'gzip, deflate'],
  ['accept-language', ''],
  ['accept-ranges', ''],
  ['accept', ''],
  ['access-control-allow-origin', ''],
  ['age', ''],
  ['allow', ''],
  ['authorization', ''],
  ['cache-control', ''],
  ['content-disposition', ''],
  ['content-encoding', ''],
  ['content-language', ''],
  ['content-length', ''],
  ['content-location', ''],
  ['content-range', ''],
  ['content-type', ''],
  ['cookie', ''],
  ['date', ''],
  ['etag', ''],
  ['expect', ''],
  ['expires', ''],
  ['from', ''],
  ['host', ''],
  ['if-match', ''],
  ['if-modified-since', ''],
  ['if-none-match', ''],
  ['if-range', ''],
  ['if-unmodified-since', ''],
  ['last-modified', ''],
  ['link', ''],
  ['location', ''],
  ['max-forwards', ''],
  ['proxy-authenticate', ''],
  ['proxy-authorization', ''],
  ['range', ''],
  ['referer', ''],
  ['refresh', ''],
  ['retry-after', ''],
  ['server', ''],
  ['set-cookie', ''],
  ['strict-transport-security', ''],
  ['transfer-encoding', ''],
  ['user-agent', ''],
  ['vary', ''],
  ['via', ''],
  ['www-authenticate', ''],
];

/** Each entry costs its octets plus 32 (RFC 7541 §4.1). */
export function entrySize(name: string, value: string): number {
  return name.length + value.length + 32;
}

/**
 * The dynamic table (RFC 7541 §2.3.2, §4): newest entry first in HPACK's numbering, evicted oldest first to stay
 * within its maximum size. Kept as a ring so adding and evicting move no other entry.
 */
export class DynamicTable {
  private names: string[] = new Array(16);
  private values: string[] = new Array(16);
  /** Slot of the oldest entry and the number of entries. */
  private head = 0;
  length = 0;
  size = 0;

  constructor(public maxSize: number) {}

  /** Entry `index` (0 = newest). */
  name(index: number): string {
    return this.names[this.slot(index)] ?? '';
  }

  value(index: number): string {
    return this.values[this.slot(index)] ?? '';
  }

  add(name: string, value: string): void {
    const size = entrySize(name, value);
    // An entry larger than the table empties it and is not added (§4.4).
    this.evictTo(this.maxSize - size);
    if (size > this.maxSize) return;
    if (this.length === this.names.length) this.grow();
    const slot = (this.head + this.length) % this.names.length;
    this.names[slot] = name;
    this.values[slot] = value;
    this.length += 1;
    this.size += size;
  }

  resize(maxSize: number): void {
    this.maxSize = maxSize;
    this.evictTo(maxSize);
  }

  private slot(index: number): number {
    if (index < 0 || index >= this.length) throw new HpackError(`dynamic table index ${index + 1} is not in the table`);
    return (this.head + this.length - 1 - index) % this.names.length;
  }

  private evictTo(limit: number): void {
    while (this.length > 0 && this.size > limit) {
      const slot = this.head;
      this.size -= entrySize(this.names[slot] ?? '', this.values[slot] ?? '');
      this.names[slot] = '';
      this.values[slot] = '';
      this.head = (this.head + 1) % this.names.length;
      this.length -= 1;
    }
  }

  private grow(): void {
    const names: string[] = new Array(this.names.length * 2);
    const values: string[] = new Array(this.names.length * 2);
    for (let i = 0; i < this.length; i++) {
      const slot = (this.head + i) % this.names.length;
      names[i] = this.names[slot] ?? '';
      values[i] = this.values[slot] ?? '';
    }
    this.names = names;
    this.values = values;
    this.head = 0;
  }
}
