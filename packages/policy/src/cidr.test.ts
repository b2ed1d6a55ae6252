import { describe, expect, it } from 'vitest';
import { type Cidr, cidrContains, parseCidr } from './cidr.js';

const cidr = (text: string): Cidr => {
  const parsed = parseCidr(text);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
};

describe('parseCidr', () => {
  it('reads IPv4, IPv6 and IPv4-in-IPv6 networks', () => {
    expect(cidr('10.1.0.0/16')).toEqual({ family: 4, bytes: [10, 1, 0, 0], prefix: 16 });
    expect(cidr('fd00::/8').bytes).toEqual([0xfd, ...new Array(15).fill(0)]);
    expect(cidr('::ffff:10.0.0.0/104').bytes).toEqual([...new Array(10).fill(0), 0xff, 0xff, 10, 0, 0, 0]);
    expect(cidr('0.0.0.0/0').prefix).toBe(0);
  });

  it('names the network when bits past the prefix are set', () => {
    expect(parseCidr('192.168.1.7/24')).toBe('has bits set past its /24 prefix: the network is 192.168.1.0/24');
    expect(parseCidr('fd00:0:0:1::5/64')).toBe('has bits set past its /64 prefix: the network is fd00:0:0:1::/64');
    expect(parseCidr('2001:db8:1:2:3:4:5:6/16')).toBe('has bits set past its /16 prefix: the network is 2001::/16');
  });

  it('refuses prefixes that are not numbers in range', () => {
    expect(parseCidr('10.0.0.0/33')).toBe('prefix "/33" must be 0 to 32');
    expect(parseCidr('10.0.0.0/')).toBe('prefix "/" must be 0 to 32');
    expect(parseCidr('10.0.0.0/+8')).toBe('prefix "/+8" must be 0 to 32');
  });
});

describe('cidrContains', () => {
  it('holds for a network inside another of the same family only', () => {
    expect(cidrContains(cidr('10.0.0.0/8'), cidr('10.200.0.0/16'))).toBe(true);
    expect(cidrContains(cidr('10.0.0.0/8'), cidr('10.0.0.0/8'))).toBe(true);
    expect(cidrContains(cidr('10.0.0.0/16'), cidr('10.0.0.0/8'))).toBe(false);
    expect(cidrContains(cidr('10.0.0.0/8'), cidr('11.0.0.0/16'))).toBe(false);
    expect(cidrContains(cidr('fd00::/8'), cidr('fd12:3456::/32'))).toBe(true);
    expect(cidrContains(cidr('0.0.0.0/0'), cidr('::/0'))).toBe(false);
  });
});
