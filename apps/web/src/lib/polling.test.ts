import { describe, expect, it } from 'vitest';
import { MIN_REFRESH_MS, pollingOptions, refreshMs } from './polling';
import { DEFAULT_VIEW } from './view-params';

describe('polling', () => {
  it('maps refresh choices to intervals, never below 5 s', () => {
    expect(refreshMs('off')).toBe(false);
    expect(refreshMs('5s')).toBe(5_000);
    expect(refreshMs('10s')).toBe(10_000);
    expect(refreshMs('30s')).toBe(30_000);
    expect(MIN_REFRESH_MS).toBe(5_000);
  });

  it('polls relative ranges only, and never in the background', () => {
    expect(pollingOptions(DEFAULT_VIEW)).toEqual({ refetchInterval: 10_000, refetchIntervalInBackground: false });
    expect(pollingOptions({ refresh: '5s', time: { kind: 'absolute', from: 1, to: 2 } }).refetchInterval).toBe(false);
  });
});
