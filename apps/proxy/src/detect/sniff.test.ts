import { describe, expect, it } from 'vitest';
import { H2_PREFACE, sniff } from './sniff.js';

const bytes = (text: string) => Buffer.from(text, 'latin1');

describe('sniff', () => {
  it('recognises the HTTP/2 preface, waiting for all of it', () => {
    expect(sniff(H2_PREFACE)).toBe('h2');
    expect(sniff(Buffer.concat([H2_PREFACE, Buffer.from([0, 0, 0, 4])]))).toBe('h2');
    expect(sniff(H2_PREFACE.subarray(0, 10))).toBeUndefined();
  });

  it('recognises HTTP/1.1 by a method token and a space, even when the rest is broken', () => {
    expect(sniff(bytes('GET / HTTP/1.1\r\n'))).toBe('http1');
    expect(sniff(bytes('M-SEARCH * HTTP/1.1\r\n'))).toBe('http1');
    expect(sniff(bytes('GET /a b HTTP/9.9\r\n'))).toBe('http1');
    expect(sniff(bytes('PRI * HTTP/1.1\r\n'))).toBe('http1');
    expect(sniff(bytes('GE'))).toBeUndefined();
  });

  it('waits for the whole first record of a TLS ClientHello, then calls it tls', () => {
    expect(sniff(Buffer.from([0x16, 0x03, 0x01, 0x00]))).toBeUndefined();
    expect(sniff(Buffer.from([0x16, 0x03, 0x01, 0x00, 0x03, 0x01, 0x00]))).toBeUndefined();
    expect(sniff(Buffer.from([0x16, 0x03, 0x01, 0x00, 0x03, 0x01, 0x00, 0x00]))).toBe('tls');
    expect(sniff(Buffer.from([0x16, 0x02, 0x01, 0x00, 0x03]))).toBe('opaque'); // not a TLS version
    expect(sniff(Buffer.from([0x16, 0x03, 0x01, 0xff, 0xff]))).toBe('opaque'); // longer than any record
  });

  it('calls everything else opaque', () => {
    expect(sniff(Buffer.from([0, 0, 0, 8, 4, 0xd2, 0x16, 0x2f]))).toBe('opaque'); // PostgreSQL SSLRequest
    expect(sniff(bytes('*1\r\n$4\r\nPING\r\n'))).toBe('opaque'); // RESP
    expect(sniff(bytes('PING\r\n'))).toBe('opaque');
    expect(sniff(bytes(' GET'))).toBe('opaque');
    expect(sniff(bytes('A'.repeat(30)))).toBe('opaque');
  });
});
