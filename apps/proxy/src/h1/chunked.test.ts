import { describe, expect, it } from 'vitest';
import { ChunkedDecoder, lastChunk } from './chunked.js';

function decode(parts: string[]): { body: string; trailers: string[]; end: number; done: boolean } {
  const decoder = new ChunkedDecoder();
  let body = '';
  let end = 0;
  for (const part of parts) {
    end = decoder.feed(Buffer.from(part, 'latin1'), 0, (chunk) => {
      body += chunk.toString('latin1');
    });
    if (end < 0) break;
  }
  return { body, trailers: decoder.trailers, end, done: decoder.done };
}

describe('chunked decoder', () => {
  it('decodes chunks with extensions and stops at the end of the body', () => {
    const r = decode(['5;ext=1\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\n\r\nGET']);
    expect(r).toEqual({ body: 'hello world', trailers: [], end: 37, done: true }); // 'GET' is the next message
  });

  it('decodes across arbitrary splits, trailers included', () => {
    const whole = 'a\r\n0123456789\r\n0\r\nGrpc-Status: 0\r\nX-T:  v \r\n\r\n';
    for (let cut = 1; cut < whole.length; cut++) {
      const r = decode([whole.slice(0, cut), whole.slice(cut)]);
      expect(r.body).toBe('0123456789');
      expect(r.trailers).toEqual(['Grpc-Status', '0', 'X-T', 'v']);
      expect(r.done).toBe(true);
    }
  });

  it.each([
    ['a size that is not hex', 'zz\r\nhello\r\n'],
    ['data longer than its size', '2\r\nhello\r\n'],
    ['a bare LF after the size', '5\nhello\r\n'],
    ['a trailer without a name', '0\r\n: x\r\n\r\n'],
  ])('refuses %s', (_what, text) => {
    expect(decode([text]).end).toBe(-1);
  });

  it('frames the end of a body with its trailers', () => {
    expect(lastChunk([])).toBe('0\r\n\r\n');
    expect(lastChunk(['grpc-status', '0'])).toBe('0\r\ngrpc-status: 0\r\n\r\n');
  });
});
