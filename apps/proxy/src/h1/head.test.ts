import { describe, expect, it } from 'vitest';
import { MAX_HEADER_BYTES } from '../http/limits.js';
import { INCOMPLETE, INVALID, type ParsedHead, parseHead } from './head.js';

const req = (text: string) => parseHead(Buffer.from(text, 'latin1'), 0, 'request');
const res = (text: string) => parseHead(Buffer.from(text, 'latin1'), 0, 'response');

describe('strict HTTP/1.1 head parser', () => {
  it('parses a request head: line, raw headers in order and case, framing', () => {
    const head = req('POST /a?b=1 HTTP/1.1\r\nHost: svc:80\r\nX-A:  one \r\nx-a: two\r\nContent-Length: 5\r\n\r\nhello') as ParsedHead;
    expect([head.a, head.b, head.c]).toEqual(['POST', '/a?b=1', 'HTTP/1.1']);
    expect(head.headers).toEqual(['Host', 'svc:80', 'X-A', 'one', 'x-a', 'two', 'Content-Length', '5']);
    expect(head.host).toBe('svc:80');
    expect(head.contentLength).toBe(5);
    expect(Buffer.from('POST /a?b=1 HTTP/1.1\r\nHost: svc:80\r\nX-A:  one \r\nx-a: two\r\nContent-Length: 5\r\n\r\n').length).toBe(head.end);
  });

  it('reads chunked, Connection, Expect and Upgrade', () => {
    const head = req('PUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive, close\r\n\r\n') as ParsedHead;
    expect(head.chunked).toBe(true);
    expect(head.close).toBe(true);
    expect(head.special).toBe(false);
    expect((req('GET / HTTP/1.1\r\nExpect: 100-continue\r\n\r\n') as ParsedHead).special).toBe(true);
    expect((req('GET / HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n') as ParsedHead).special).toBe(true);
  });

  it('marks framing it does not trust', () => {
    expect((req('POST / HTTP/1.1\r\nContent-Length: 1, 1\r\n\r\n') as ParsedHead).contentLength).toBe(-2);
    expect((req('POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\n') as ParsedHead).contentLength).toBe(-2);
    expect((req('POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n') as ParsedHead).contentLength).toBe(-2);
    const gzip = req('POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n') as ParsedHead;
    expect([gzip.chunked, gzip.otherCoding]).toEqual([false, true]);
    const twice = req('POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n') as ParsedHead;
    expect([twice.chunked, twice.otherCoding]).toEqual([false, true]);
  });

  it('waits for the blank line', () => {
    expect(req('GET / HTTP/1.1\r\nHost: a\r\n')).toBe(INCOMPLETE);
    expect(req('GET / HTTP/1.1\r\nHost: a\r\n\r')).toBe(INCOMPLETE);
  });

  it.each([
    ['a bare LF', 'GET / HTTP/1.1\nHost: a\r\n\r\n'],
    ['space before the colon', 'GET / HTTP/1.1\r\nHost : a\r\n\r\n'],
    ['obsolete line folding', 'GET / HTTP/1.1\r\nX-A: a\r\n b\r\n\r\n'],
    ['a control character in a value', 'GET / HTTP/1.1\r\nX-A: a\x01b\r\n\r\n'],
    ['a header without a colon', 'GET / HTTP/1.1\r\nX-A\r\n\r\n'],
    ['a space in the target', 'GET /a b HTTP/1.1\r\n\r\n'],
    ['an unknown version', 'GET / HTTP/2.0\r\n\r\n'],
    ['a lower-case version', 'GET / http/1.1\r\n\r\n'],
    ['two spaces', 'GET  / HTTP/1.1\r\n\r\n'],
    ['a method that is no token', 'G(T / HTTP/1.1\r\n\r\n'],
  ])('refuses %s', (_what, text) => {
    expect(req(text)).toBe(INVALID);
  });

  it('refuses heads over the limit, complete or not', () => {
    const big = `GET / HTTP/1.1\r\nX-Big: ${'a'.repeat(MAX_HEADER_BYTES)}\r\n`;
    expect(req(big)).toBe(INVALID);
    expect(req(`${big}\r\n`)).toBe(INVALID);
  });

  it('parses status lines, with or without a reason', () => {
    const ok = res('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok') as ParsedHead;
    expect([ok.a, ok.b, ok.c, ok.contentLength]).toEqual(['HTTP/1.1', '200', 'OK', 2]);
    const bare = res('HTTP/1.1 204\r\n\r\n') as ParsedHead;
    expect([bare.b, bare.c]).toEqual(['204', '']);
    expect((res('HTTP/1.1 404 Not Found Here\r\n\r\n') as ParsedHead).c).toBe('Not Found Here');
    expect(res('HTTP/1.1 20 OK\r\n\r\n')).toBe(INVALID);
    expect(res('HTTP/1.1 200 O\x00K\r\n\r\n')).toBe(INVALID);
    expect(res('ICY 200 OK\r\n\r\n')).toBe(INVALID);
  });

  it('parses from an offset (pipelined messages)', () => {
    const buf = Buffer.from('GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\n');
    const first = parseHead(buf, 0, 'request') as ParsedHead;
    const second = parseHead(buf, first.end, 'request') as ParsedHead;
    expect([first.b, second.b, second.end]).toEqual(['/1', '/2', buf.length]);
  });
});
