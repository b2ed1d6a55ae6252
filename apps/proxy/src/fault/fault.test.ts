import { describe, expect, it } from 'vitest';
import { EvenShare, Fault } from './fault.js';

const count = (share: number, n: number): number => {
  const even = new EvenShare(share);
  let picked = 0;
  for (let i = 0; i < n; i++) if (even.next()) picked++;
  return picked;
};

describe('EvenShare', () => {
  it('picks exactly the share, spread evenly', () => {
    expect([0, 0.1, 0.25, 0.3, 1].map((share) => count(share, 1000))).toEqual([0, 100, 250, 300, 1000]);
    const every4th = new EvenShare(0.25);
    expect(Array.from({ length: 8 }, () => (every4th.next() ? 'x' : '.')).join('')).toBe('...x...x');
  });
});

describe('Fault', () => {
  it('decides delay and abort independently, each on its own share', () => {
    const fault = new Fault({ abort: { share: 0.5, status: 503 }, delay: { share: 0.25, ms: 40 } });
    const decisions = Array.from({ length: 4 }, () => fault.decide());
    expect(decisions).toEqual([
      { delayMs: undefined, abort: undefined },
      { delayMs: undefined, abort: 503 },
      { delayMs: undefined, abort: undefined },
      { delayMs: 40, abort: 503 },
    ]);
  });
});
