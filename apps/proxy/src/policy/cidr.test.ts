import { describe, expect, it } from 'vitest';
import { inCidr, inNetworks, parseAddress, parseCidr, parsePeerAddress } from './cidr.js';

function address(text: string): Uint32Array {
  const out = new Uint32Array(4);
  if (!parseAddress(text, out)) throw new Error(`${text} did not parse`);
  return out;
}

const hex = (words: Uint32Array) => [...words].map((w) => w.toString(16).padStart(8, '0')).join(':');

describe('addresses', () => {
  it('reads IPv4 as IPv4-mapped IPv6, and IPv6 in its compressed and mixed forms', () => {
    expect(hex(address('10.1.2.3'))).toBe('00000000:00000000:0000ffff:0a010203');
    expect(hex(address('::ffff:10.1.2.3'))).toBe('00000000:00000000:0000ffff:0a010203');
    expect(hex(address('::1'))).toBe('00000000:00000000:00000000:00000001');
    expect(hex(address('::'))).toBe('00000000:00000000:00000000:00000000');
    expect(hex(address('fd00::'))).toBe('fd000000:00000000:00000000:00000000');
    expect(hex(address('2001:db8::8a2e:370:7334'))).toBe('20010db8:00000000:00008a2e:03707334');
    expect(hex(address('1:2:3:4:5:6:7:8'))).toBe('00010002:00030004:00050006:00070008');
    expect(hex(address('fe80::1%eth0'))).toBe('fe800000:00000000:00000000:00000001');
    expect(hex(address('[::1]'))).toBe('00000000:00000000:00000000:00000001');
  });

  it('refuses what is not an address', () => {
    const out = new Uint32Array(4);
    for (const bad of ['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.a', ':1', '1:', '1::2::3', '1:2:3:4:5:6:7:8:9', '12345::', 'g::', 'localhost', '::ffff:1.2.3']) {
      expect(parseAddress(bad, out), bad).toBe(false);
    }
  });

  it('reads the host of a host:port peer, IPv6 without brackets', () => {
    const out = new Uint32Array(4);
    expect(parsePeerAddress('127.0.0.1:40000', out)).toBe(true);
    expect(out[3]).toBe(0x7f000001);
    expect(parsePeerAddress('::ffff:192.168.1.9:1', out)).toBe(true);
    expect(out[3]).toBe(0xc0a80109);
    expect(parsePeerAddress('::1:5000', out)).toBe(true);
    expect(hex(out)).toBe('00000000:00000000:00000000:00000001');
    expect(parsePeerAddress('?:0', out)).toBe(false);
  });
});

describe('CIDRs', () => {
  it('matches v4 and v6 networks, host bits cleared, a bare address as one host', () => {
    const ten = parseCidr('10.0.0.0/8');
    expect(inCidr(ten, address('10.255.1.1'))).toBe(true);
    expect(inCidr(ten, address('::ffff:10.0.0.1'))).toBe(true);
    expect(inCidr(ten, address('11.0.0.1'))).toBe(false);
    expect(inCidr(ten, address('fd00::1'))).toBe(false);
    expect(inCidr(parseCidr('10.9.9.9/8'), address('10.0.0.1'))).toBe(true);
    expect(inCidr(parseCidr('0.0.0.0/0'), address('203.0.113.9'))).toBe(true);
    expect(inCidr(parseCidr('0.0.0.0/0'), address('2001:db8::1'))).toBe(false);
    expect(inCidr(parseCidr('fd00::/8'), address('fdab::1'))).toBe(true);
    expect(inCidr(parseCidr('fd00::/8'), address('fe00::1'))).toBe(false);
    expect(inCidr(parseCidr('2001:db8::/127'), address('2001:db8::1'))).toBe(true);
    expect(inCidr(parseCidr('2001:db8::/128'), address('2001:db8::1'))).toBe(false);
    expect(inCidr(parseCidr('192.168.1.7'), address('192.168.1.7'))).toBe(true);
    expect(inCidr(parseCidr('192.168.1.7'), address('192.168.1.8'))).toBe(false);
    expect(inCidr(parseCidr('172.16.0.0/12'), address('172.31.255.255'))).toBe(true);
    expect(inCidr(parseCidr('172.16.0.0/12'), address('172.32.0.0'))).toBe(false);
  });

  it('leaves out the except ranges', () => {
    const networks = [{ cidr: parseCidr('10.0.0.0/8'), except: [parseCidr('10.1.0.0/16'), parseCidr('10.2.3.4')] }];
    expect(inNetworks(networks, address('10.0.0.1'))).toBe(true);
    expect(inNetworks(networks, address('10.1.2.3'))).toBe(false);
    expect(inNetworks(networks, address('10.2.3.4'))).toBe(false);
    expect(inNetworks(networks, address('10.2.3.5'))).toBe(true);
    expect(inNetworks([], address('10.0.0.1'))).toBe(false);
  });

  it('says what is wrong with a bad CIDR', () => {
    expect(() => parseCidr('10.0.0.0/33')).toThrow('"10.0.0.0/33" is not a CIDR: the prefix length must be 0-32');
    expect(() => parseCidr('::/129')).toThrow('the prefix length must be 0-128');
    expect(() => parseCidr('10.0.0.0/')).toThrow('the prefix length must be 0-32');
    expect(() => parseCidr('ten/8')).toThrow('"ten/8" is not a CIDR: "ten" is not an IP address');
  });
});
