import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HeaderListTooLarge, HpackDecoder, HpackEncoder } from '../../../apps/proxy/src/h2/hpack.js';
import { HpackError } from '../../../apps/proxy/src/h2/hpack-error.js';
import { fuzzParams } from '../support/budget.js';

/**
 * The proxy's HPACK codec: whatever one encoder sends, one decoder reads back exactly, block after block (the two
 * dynamic tables stay in step, table size changes included); and hostile header blocks end in a protocol error
 * (HpackError, or HeaderListTooLarge once the block was read whole), never in anything else.
 */
const octets = (max: number) =>
  fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: max }).map((codes) => String.fromCharCode(...codes));
/** Names like real ones (so the tables get hits) mixed with arbitrary octets. */
const name = fc.oneof(
  fc.constantFrom(':method', ':path', ':status', 'content-type', 'cache-control', 'authorization', 'x-request-id', 'grpc-status'),
  octets(20),
);
const value = fc.oneof(fc.constantFrom('', 'GET', '/', '200', 'application/grpc', 'no-cache', '0'), octets(300));
const headerList = fc.array(fc.tuple(name, value), { maxLength: 24 }).map((pairs) => pairs.flat());
const step = fc.oneof(
  { weight: 5, arbitrary: headerList.map((list) => ({ list })) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 4096 }).map((tableSize) => ({ tableSize })) },
);

describe('HPACK codec under generated input', () => {
  it('decode(encode(x)) = x over a conversation, with table size changes between blocks', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 30 }), (steps) => {
        const encoder = new HpackEncoder();
        const decoder = new HpackDecoder({ maxTableSize: 4096, maxListSize: 1 << 20 });
        for (const s of steps) {
          if ('tableSize' in s) encoder.setMaxTableSize(s.tableSize);
          else expect(decoder.decode(encoder.encode(s.list))).toEqual(s.list);
        }
      }),
      fuzzParams(300),
    );
  });

  it('hostile header blocks throw only protocol errors', () => {
    const valid = new HpackEncoder().encode([':method', 'GET', ':path', '/x', 'x-a', 'value', 'content-type', 'text/plain']);
    const block = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      // Byte edits of a valid block: flips, truncation, insertion.
      fc
        .tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 }), fc.nat(valid.length), fc.uint8Array({ maxLength: 8 }))
        .map(([at, byte, cut, inserted]) => {
          const copy = Buffer.from(valid);
          copy[at] = byte;
          return Buffer.concat([copy.subarray(0, cut), inserted, copy.subarray(cut)]);
        }),
    );
    fc.assert(
      fc.property(fc.array(block, { minLength: 1, maxLength: 5 }), fc.integer({ min: 0, max: 300 }), (blocks, listLimit) => {
        const decoder = new HpackDecoder({ maxTableSize: 256, maxListSize: listLimit });
        for (const b of blocks) {
          try {
            const fields = decoder.decode(Buffer.from(b));
            expect(fields.length % 2).toBe(0);
          } catch (error) {
            if (!(error instanceof HpackError) && !(error instanceof HeaderListTooLarge)) throw error;
          }
        }
      }),
      fuzzParams(2_000),
    );
  });
});
