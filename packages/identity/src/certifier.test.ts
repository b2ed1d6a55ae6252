import { IDENTITY_DEFAULTS } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { refreshDelayMs, retryDelayMs } from './certifier.js';

describe('the renewal schedule', () => {
  it('renews at 70 % of the remaining lifetime, clamped to 10 s – 24 h', () => {
    expect(refreshDelayMs(IDENTITY_DEFAULTS.leafLifetimeMs)).toBe(0.7 * IDENTITY_DEFAULTS.leafLifetimeMs);
    expect(refreshDelayMs(15_000)).toBe(10_500);
    expect(refreshDelayMs(1000)).toBe(10_000);
    expect(refreshDelayMs(365 * 24 * 3600_000)).toBe(24 * 3600_000);
  });

  it('backs off 1 s doubling to 1 min after failures, with up to 50 % jitter', () => {
    expect([1, 2, 3, 7, 8, 30].map((n) => retryDelayMs(n, () => 0))).toEqual([1_000, 2_000, 4_000, 60_000, 60_000, 60_000]);
    expect(retryDelayMs(1, () => 0.999)).toBeCloseTo(1_499.5);
    expect(retryDelayMs(20, () => 1)).toBe(90_000);
  });
});
