import http2 from 'node:http2';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { HeaderListTooLarge, HpackDecoder, HpackEncoder } from './hpack.js';
import { HpackError } from './hpack-error.js';
import { huffmanDecode, huffmanEncode, huffmanLength } from './huffman.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const decoder = (maxTableSize = 4096, maxListSize = 65_536) => new HpackDecoder({ maxTableSize, maxListSize });

/** RFC 7541 Appendix C: each block decoded in order by one decoder, with the table size after it. */
const REQUESTS = [
  [':method', 'GET', ':scheme', 'http', ':path', '/', ':authority', 'www.example.com'],
  [':method', 'GET', ':scheme', 'http', ':path', '/', ':authority', 'www.example.com', 'cache-control', 'no-cache'],
  [':method', 'GET', ':scheme', 'https', ':path', '/index.html', ':authority', 'www.example.com', 'custom-key', 'custom-value'],
];
const REQUEST_TABLE_SIZES = [57, 110, 164];
const RESPONSES = [
  [':status', '302', 'cache-control', 'private', 'date', 'Mon, 21 Oct 2013 20:13:21 GMT', 'location', 'https://www.example.com'],
  [':status', '307', 'cache-control', 'private', 'date', 'Mon, 21 Oct 2013 20:13:21 GMT', 'location', 'https://www.example.com'],
  [
    ':status', '200', 'cache-control', 'private', 'date', 'Mon, 21 Oct 2013 20:13:22 GMT', 'location', 'https://www.example.com',
    'content-encoding', 'gzip', 'set-cookie', 'foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1',
  ],
];
const RESPONSE_TABLE_SIZES = [222, 222, 215];

describe('HPACK decoder, RFC 7541 Appendix C', () => {
  it('C.2: one field per representation', () => {
    expect(decoder().decode(hex('400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572'))).toEqual(['custom-key', 'custom-header']);
    expect(decoder().decode(hex('040c 2f73 616d 706c 652f 7061 7468'))).toEqual([':path', '/sample/path']);
    expect(decoder().decode(hex('1008 7061 7373 776f 7264 0673 6563 7265 74'))).toEqual(['password', 'secret']);
    expect(decoder().decode(hex('82'))).toEqual([':method', 'GET']);
  });

  it('C.3: requests without Huffman coding, sharing the dynamic table', () => {
    const d = decoder();
    const blocks = [
      '8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d',
      '8286 84be 5808 6e6f 2d63 6163 6865',
      '8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65',
    ];
    blocks.forEach((block, i) => {
      expect(d.decode(hex(block))).toEqual(REQUESTS[i]);
      expect(tableSize(d)).toBe(REQUEST_TABLE_SIZES[i]);
    });
  });

  it('C.4: requests with Huffman coding', () => {
    const d = decoder();
    const blocks = [
      '8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff',
      '8286 84be 5886 a8eb 1064 9cbf',
      '8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf',
    ];
    blocks.forEach((block, i) => {
      expect(d.decode(hex(block))).toEqual(REQUESTS[i]);
      expect(tableSize(d)).toBe(REQUEST_TABLE_SIZES[i]);
    });
  });

  it('C.5: responses without Huffman coding, evicting from a 256-octet table', () => {
    const d = decoder(256);
    const blocks = [
      `4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3120 474d
       546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d`,
      '4803 3330 37c1 c0bf',
      `88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d 54c0 5a04 677a 6970 7738 666f
       6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b
       2076 6572 7369 6f6e 3d31`,
    ];
    blocks.forEach((block, i) => {
      expect(d.decode(hex(block))).toEqual(RESPONSES[i]);
      expect(tableSize(d)).toBe(RESPONSE_TABLE_SIZES[i]);
    });
  });

  it('C.6: responses with Huffman coding, evicting from a 256-octet table', () => {
    const d = decoder(256);
    const blocks = [
      `4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7
       8f0b 97c8 e9ae 82ae 43d3`,
      '4883 640e ffc1 c0bf',
      `88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335
       dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07`,
    ];
    blocks.forEach((block, i) => {
      expect(d.decode(hex(block))).toEqual(RESPONSES[i]);
      expect(tableSize(d)).toBe(RESPONSE_TABLE_SIZES[i]);
    });
  });
});

describe('HPACK decoder, bad input', () => {
  const refuses = (block: string, message: RegExp, d = decoder()) => expect(() => d.decode(hex(block))).toThrow(message);

  it('refuses index 0, indexes past the tables, truncation and oversized integers with an HpackError', () => {
    refuses('80', /index 0/);
    refuses('be', /index 1 is not in the table/);
    refuses('ff ff ff ff ff 0f', /2\^31/);
    refuses('ff', /ends inside an integer/);
    refuses('400a 6375 7374', /overruns/);
    refuses('40', /ends before a string/);
    expect(() => decoder().decode(hex('80'))).toThrow(HpackError);
  });

  it('takes table size updates only first and never above its own setting', () => {
    const d = decoder(256);
    expect(d.decode(hex('20 82'))).toEqual([':method', 'GET']);
    refuses('3fe201', /exceeds the 256 allowed/, d); // 257
    refuses('82 20', /after a header field/, d);
  });

  it('refuses Huffman strings holding EOS or padded with zeros or more than seven bits', () => {
    // A literal field named 'a' whose Huffman-coded value is…
    refuses('00 0161 84 ffffffff', /EOS/); // …EOS (30 one bits)
    refuses('00 0161 81 00', /padding/); // …'0' (00000) padded with 000
    refuses('00 0161 82 07ff', /padding/); // …'0' and 11 one bits of padding
  });

  it('decodes a list past SETTINGS_MAX_HEADER_LIST_SIZE whole (the table stays in step), then says it is too large', () => {
    const d = decoder(4096, 60);
    const block = new HpackEncoder().encode(['x-big', 'a'.repeat(40), 'x-next', 'b']);
    expect(() => d.decode(block)).toThrow(HeaderListTooLarge);
    expect(tableSize(d)).toBe(entry('x-big', 'a'.repeat(40)) + entry('x-next', 'b'));
  });
});

describe('HPACK encoder', () => {
  it('round-trips through its own decoder across blocks, indexing repeated fields', () => {
    const encoder = new HpackEncoder();
    const d = decoder();
    for (const list of [...REQUESTS, ...REQUESTS]) expect(d.decode(encoder.encode(list))).toEqual(list);
    // The third time the whole first request is table hits: one octet per field.
    expect(encoder.encode(REQUESTS[0] ?? []).length).toBe(4);
  });

  it('announces a smaller table before the next block and the decoder follows', () => {
    const encoder = new HpackEncoder();
    const d = decoder();
    d.decode(encoder.encode(REQUESTS[2] ?? []));
    encoder.setMaxTableSize(0);
    encoder.setMaxTableSize(100);
    const block = encoder.encode(REQUESTS[2] ?? []);
    expect(block[0]).toBe(0x20); // size 0 first (the smallest since the last block)…
    expect(d.decode(block)).toEqual(REQUESTS[2]);
    expect(tableSize(d)).toBeLessThanOrEqual(100); // …then 100
  });

  it('never indexes credentials', () => {
    const block = new HpackEncoder().encode(['authorization', 'Bearer x']);
    expect((block[0] ?? 0) & 0xf0).toBe(0x10);
  });
});

describe('Huffman code', () => {
  it('round-trips every octet', () => {
    const all = String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i));
    const out = Buffer.alloc(huffmanLength(all));
    expect(huffmanEncode(all, out, 0)).toBe(out.length);
    expect(huffmanDecode(out, 0, out.length)).toBe(all);
  });

  it('agrees with Node (nghttp2): a header block of ours carrying every octet is read back by a Node HTTP/2 server', async () => {
    // Control characters are not valid in field values, so octets 0–31 and 127 are checked by the round trip above.
    const octets = Array.from({ length: 256 }, (_, i) => i).filter((i) => i === 9 || (i >= 32 && i !== 127));
    const list: string[] = [':method', 'GET', ':scheme', 'http', ':path', '/', ':authority', 'example.test'];
    for (const octet of octets) list.push(`x-${octet}`, `<${String.fromCharCode(octet).repeat(3)}>`);
    const received = await sendToNode(new HpackEncoder().encode(list));
    for (const octet of octets) expect(received[`x-${octet}`]).toBe(`<${String.fromCharCode(octet).repeat(3)}>`);
  });
});

function entry(name: string, value: string): number {
  return name.length + value.length + 32;
}

function tableSize(d: HpackDecoder): number {
  return (d as unknown as { table: { size: number } }).table.size;
}

/** Sends one HEADERS frame (stream 1, END_STREAM|END_HEADERS) to a Node HTTP/2 server; resolves with its headers. */
async function sendToNode(block: Buffer): Promise<Record<string, unknown>> {
  const server = http2.createServer({ maxHeaderListPairs: 1_000 });
  const received = new Promise<Record<string, unknown>>((resolve, reject) => {
    server.on('stream', (stream, headers) => {
      resolve({ ...headers });
      stream.respond({ ':status': 204 }, { endStream: true });
    });
    server.on('session', (session) => session.once('close', () => reject(new Error('Node closed the session'))));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const socket = net.connect(port, '127.0.0.1');
  try {
    const header = Buffer.alloc(9);
    header.writeUIntBE(block.length, 0, 3);
    header[3] = 0x1; // HEADERS
    header[4] = 0x5; // END_STREAM | END_HEADERS
    header.writeUInt32BE(1, 5);
    const settings = Buffer.from([0, 0, 0, 0x4, 0, 0, 0, 0, 0]);
    socket.write(Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), settings, header, block]));
    return await received;
  } finally {
    socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}
