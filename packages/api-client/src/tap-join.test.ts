import { describe, expect, it } from 'vitest';
import { TapJoin } from './tap-join.js';
import { tapParts } from './testing/tap-events.js';

describe('TapJoin', () => {
  it('gives each request whole on its last part, with its status, however the parts interleave', () => {
    const [aInit, aResponse, aEnd] = tapParts({ id: 'a', status: 503 });
    const [bInit, , bEnd] = tapParts({ id: 'b' });
    const join = new TapJoin();
    expect([aInit, bInit, aResponse].map((e) => join.add(e))).toEqual([null, null, null]);
    expect(join.pending).toBe(2);
    expect(join.add(bEnd)).toEqual({ init: bInit, status: null, end: bEnd });
    expect(join.add(aEnd)).toEqual({ init: aInit, status: 503, end: aEnd });
    expect(join.pending).toBe(0);
  });

  it('ignores parts of a request whose start it never saw', () => {
    const [, response, end] = tapParts({ id: 'late' });
    const join = new TapJoin();
    expect(join.add(response)).toBeNull();
    expect(join.add(end)).toBeNull();
    expect(join.pending).toBe(0);
  });
});
