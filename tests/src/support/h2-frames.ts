import fc from 'fast-check';

/** The client connection preface of HTTP/2 (RFC 9113 §3.4). */
export const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

export const FRAME = { DATA: 0, HEADERS: 1, PRIORITY: 2, RST_STREAM: 3, SETTINGS: 4, PUSH_PROMISE: 5, PING: 6, GOAWAY: 7, WINDOW_UPDATE: 8, CONTINUATION: 9 };
export const FLAG = { END_STREAM: 0x1, ACK: 0x1, END_HEADERS: 0x4, PADDED: 0x8, PRIORITY: 0x20 };

/** One frame by hand: 9-byte head (length, type, flags, stream id) and the payload; `length` may lie. */
export function frame(type: number, flags: number, stream: number, payload: Uint8Array, length = payload.length): Buffer {
  const head = Buffer.alloc(9);
  head.writeUIntBE(length & 0xffffff, 0, 3);
  head.writeUInt8(type & 0xff, 3);
  head.writeUInt8(flags & 0xff, 4);
  head.writeUInt32BE(stream >>> 0, 5);
  return Buffer.concat([head, payload]);
}

/** An HPACK string literal, not Huffman coded, with a length that fits the 7-bit prefix. */
function literal(text: string): Buffer {
  const bytes = Buffer.from(text, 'latin1');
  if (bytes.length > 126) throw new Error('literal too long for this encoder');
  return Buffer.concat([Buffer.from([bytes.length]), bytes]);
}

/**
 * A header block of `GET /` (static table entries) plus :authority and other fields as literals without
 * indexing (RFC 7541 §6.2.2): enough to build valid requests and near-valid ones.
 */
export function headerBlock(authority: string, extra: readonly [string, string][] = [], path = '/'): Buffer {
  const parts = [Buffer.from([0x82, 0x86]), Buffer.from([0x04]), literal(path), Buffer.from([0x01]), literal(authority)];
  for (const [name, value] of extra) parts.push(Buffer.from([0x00]), literal(name), literal(value));
  return Buffer.concat(parts);
}

/** Preface, empty SETTINGS, and a complete GET on stream 1: the valid conversation the fuzzers start from. */
export function validConversation(authority: string): Buffer {
  return Buffer.concat([
    PREFACE,
    frame(FRAME.SETTINGS, 0, 0, Buffer.alloc(0)),
    frame(FRAME.HEADERS, FLAG.END_STREAM | FLAG.END_HEADERS, 1, headerBlock(authority)),
  ]);
}

const streamId = fc.oneof(fc.constantFrom(0, 1, 2, 3, 5, 0x7fffffff, 0x80000001), fc.nat());
const payload = fc.uint8Array({ maxLength: 64 });

/** Any frame: known and unknown types, any flags and stream, random payload, and a length that may not match. */
export const randomFrame: fc.Arbitrary<Buffer> = fc
  .record({
    type: fc.oneof(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 255 })),
    flags: fc.integer({ min: 0, max: 255 }),
    stream: streamId,
    payload,
    lie: fc.option(fc.integer({ min: 0, max: 0xffffff }), { freq: 4 }),
  })
  .map((f) => frame(f.type, f.flags, f.stream, f.payload, f.lie ?? f.payload.length));

const headerText = fc.string({ unit: 'binary-ascii', maxLength: 24 });

/** HEADERS frames whose blocks are near-valid: bad pseudo-headers, upper-case or empty names, connection fields. */
export function nearValidHeaders(authority: string): fc.Arbitrary<Buffer> {
  const field = fc.oneof(
    fc.constantFrom<[string, string]>(
      [':method', ''],
      [':path', ''],
      [':protocol', 'websocket'],
      [':status', '200'],
      ['connection', 'keep-alive'],
      ['transfer-encoding', 'chunked'],
      ['te', 'gzip'],
      ['Upper', 'x'],
      ['', 'empty'],
      ['content-length', '-1'],
      ['content-length', '5'],
      ['host', 'other.example'],
    ),
    fc.tuple(headerText, headerText),
  );
  return fc
    .record({
      fields: fc.array(field, { maxLength: 4 }),
      path: fc.oneof(fc.constant('/'), headerText),
      authority: fc.oneof(fc.constant(authority), headerText),
      flags: fc.constantFrom(FLAG.END_HEADERS | FLAG.END_STREAM, FLAG.END_HEADERS, FLAG.END_STREAM, 0),
      stream: fc.constantFrom(1, 3, 2, 0),
      data: fc.option(payload),
    })
    .map((h) => {
      const head = frame(FRAME.HEADERS, h.flags, h.stream, headerBlock(h.authority, h.fields, h.path));
      return h.data ? Buffer.concat([head, frame(FRAME.DATA, FLAG.END_STREAM, h.stream, h.data)]) : head;
    });
}

/** A byte-level edit of the valid conversation (after its preface, so the proxy still detects HTTP/2). */
export function mutatedConversation(authority: string): fc.Arbitrary<Buffer> {
  const valid = validConversation(authority);
  return fc
    .array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean()), { minLength: 1, maxLength: 6 })
    .map((edits) => {
      let body = Buffer.from(valid.subarray(PREFACE.length));
      for (const [at, value, insert] of edits) {
        const i = at % (body.length + 1);
        body = insert
          ? Buffer.concat([body.subarray(0, i), Buffer.from([value]), body.subarray(i)])
          : Buffer.concat([body.subarray(0, i), Buffer.from([value]), body.subarray(i + 1)]);
      }
      return Buffer.concat([PREFACE, body]);
    });
}
