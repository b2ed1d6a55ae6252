import { describe, expect, it } from 'vitest';
import { DEFAULT_INTERCEPTION, interceptionArgs, parsePortList } from './interception.js';

describe('interception', () => {
  it('parses port lists with ranges and spaces, sorted and without repeats', () => {
    expect(parsePortList('4567, 5000-5002,4567')).toEqual([4567, 5000, 5001, 5002]);
    expect(parsePortList('')).toEqual([]);
  });

  it.each(['80,http', '9-1', '0', '70000', '1-'])('refuses %s naming the bad part', (bad) => {
    expect(() => parsePortList(bad)).toThrow(/is not a port/);
  });

  it('writes the init program arguments, skip lists only when given', () => {
    expect(interceptionArgs(DEFAULT_INTERCEPTION)).toEqual([
      '--inbound-port', '4143', '--outbound-port', '4140', '--proxy-uid', '2102', '--skip-inbound-ports', '4190,4191',
    ]);
    expect(interceptionArgs({ ...DEFAULT_INTERCEPTION, skipInboundPorts: [], skipOutboundPorts: [5432], skipOutboundCidrs: ['10.0.0.1/32'] })).toEqual([
      '--inbound-port', '4143', '--outbound-port', '4140', '--proxy-uid', '2102', '--skip-outbound-ports', '5432', '--skip-outbound-cidrs', '10.0.0.1/32',
    ]);
  });
});
