import { describe, expect, it } from 'vitest';
import { LineSplitter } from './ndjson.js';

describe('LineSplitter', () => {
  it('joins lines split across chunks, drops \\r and blank lines, keeps multi-byte characters whole', () => {
    const lines = new LineSplitter(1024);
    const text = Buffer.from('{"a":1}\r\n\n{"b":"é');
    expect(lines.push(text.subarray(0, 4))).toEqual([]);
    expect(lines.push(text.subarray(4, text.length - 1))).toEqual(['{"a":1}']);
    expect(lines.push(Buffer.concat([text.subarray(text.length - 1), Buffer.from('"}\n{"c":3}\n')]))).toEqual(['{"b":"é"}', '{"c":3}']);
  });

  it('refuses a line longer than its limit, whether in one chunk or many', () => {
    expect(() => new LineSplitter(8).push(Buffer.from('0123456789\n'))).toThrow('a line longer than 8 bytes');
    const lines = new LineSplitter(8);
    lines.push(Buffer.from('01234'));
    expect(() => lines.push(Buffer.from('56789'))).toThrow('a line longer than 8 bytes');
  });
});
