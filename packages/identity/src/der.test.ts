import { describe, expect, it } from 'vitest';
import { bitString, contextTag, directoryString, element, ia5, objectIdentifier, sequence, setOf, smallInteger } from './der.js';

const hex = (buffer: Buffer) => buffer.toString('hex');

describe('DER encoding', () => {
  it('writes lengths in the short form below 128 and the shortest long form above', () => {
    expect(hex(element(0x04, Buffer.alloc(0)))).toBe('0400');
    expect(hex(element(0x04, Buffer.alloc(127))).slice(0, 4)).toBe('047f');
    expect(hex(element(0x04, Buffer.alloc(128))).slice(0, 6)).toBe('048180');
    expect(hex(element(0x04, Buffer.alloc(255))).slice(0, 6)).toBe('0481ff');
    expect(hex(element(0x04, Buffer.alloc(256))).slice(0, 8)).toBe('04820100');
    expect(hex(element(0x04, Buffer.alloc(65_536))).slice(0, 10)).toBe('0483010000');
  });

  it('encodes object identifiers with multi-octet arcs', () => {
    // extensionRequest, subjectAltName and ecdsa-with-SHA256 as openssl encodes them.
    expect(hex(objectIdentifier('1.2.840.113549.1.9.14'))).toBe('06092a864886f70d01090e');
    expect(hex(objectIdentifier('2.5.29.17'))).toBe('0603551d11');
    expect(hex(objectIdentifier('1.2.840.10045.4.3.2'))).toBe('06082a8648ce3d040302');
    expect(() => objectIdentifier('1')).toThrow(/not an object identifier/);
    expect(() => objectIdentifier('1.2.x')).toThrow(/not an object identifier/);
  });

  it('sorts the elements of a SET OF by their encodings', () => {
    expect(hex(setOf(Buffer.from('0402bbbb', 'hex'), Buffer.from('0401aa', 'hex')))).toBe('31070401aa0402bbbb');
  });

  it('picks PrintableString when the text fits and UTF8String otherwise', () => {
    expect(hex(directoryString('a-b.c'))).toBe(`1305${Buffer.from('a-b.c').toString('hex')}`);
    expect(hex(directoryString('a_b'))).toBe(`0c03${Buffer.from('a_b').toString('hex')}`);
    expect(hex(directoryString('ü'))).toBe('0c02c3bc');
  });

  it('refuses what it cannot encode instead of writing something else', () => {
    expect(() => ia5('naïve')).toThrow(/not an IA5/);
    expect(() => smallInteger(128)).toThrow(RangeError);
    expect(() => contextTag(31, Buffer.alloc(0), false)).toThrow(RangeError);
  });

  it('builds sequences, bit strings and context tags', () => {
    expect(hex(sequence(smallInteger(0), bitString(Buffer.of(0xff))))).toBe('3007020100030200ff');
    expect(hex(contextTag(2, ia5('a'), false))).toBe('820161');
    expect(hex(contextTag(0, sequence(), true))).toBe('a0023000');
  });
});
