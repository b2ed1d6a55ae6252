import { describe, expect, it } from 'vitest';
import { PeakEwma } from './ewma.js';

describe('PeakEwma', () => {
  it('starts at 30 ms and decays towards zero with a 10 s time constant while nothing is heard', () => {
    const rtt = new PeakEwma(0);
    expect(rtt.current(0)).toBe(30);
    expect(rtt.current(10_000)).toBeCloseTo(30 / Math.E, 10);
    expect(rtt.current(20_000)).toBeCloseTo(30 / Math.E ** 2, 10);
  });

  it('jumps to a slower sample at once, and moves towards faster ones by the time elapsed', () => {
    const rtt = new PeakEwma(0);
    rtt.observe(300, 1);
    expect(rtt.current(1)).toBe(300);
    // A faster sample 1 s later: weight 1 − e^(−0.1) for the sample, the rest for the decayed estimate.
    rtt.observe(10, 1_001);
    const decay = Math.exp(-0.1);
    expect(rtt.current(1_001)).toBeCloseTo(300 * decay + 10 * (1 - decay), 10);
    // A burst of fast samples in the same millisecond does not move it: only time wears a peak down.
    const before = rtt.current(1_001);
    for (let i = 0; i < 100; i++) rtt.observe(1, 1_001);
    expect(rtt.current(1_001)).toBe(before);
  });
});
