import { describe, expect, it } from 'vitest';
import {
  formatAgeSeconds,
  formatLatencyTick,
  formatPercentTick,
  formatRouteName,
  formatRpsTick,
  formatRpsWithUnit,
  NO_DATA,
  NO_TRAFFIC,
  UNMATCHED_ROUTE,
} from './format';

describe('formatRpsWithUnit', () => {
  it('adds the unit to measured rates only', () => {
    expect(formatRpsWithUnit(12.345)).toBe('12.35 rps');
    expect(formatRpsWithUnit(0)).toBe('0 rps');
    expect(formatRpsWithUnit(0.0167)).toBe('0.017 rps');
    expect(formatRpsWithUnit(null)).toBe(NO_TRAFFIC);
    expect(formatRpsWithUnit(Number.NaN)).toBe(NO_DATA);
  });
});

describe('formatPercentTick', () => {
  it.each([
    [1, '100%'],
    [0.95, '95%'],
    [0.975, '97.5%'],
    [0.98765, '98.77%'],
    [0, '0%'],
  ])('%s → %s', (share, text) => {
    expect(formatPercentTick(share)).toBe(text);
  });
});

describe('tick formats', () => {
  it('reads 0 at the origin and round values without padding zeros', () => {
    expect(formatLatencyTick(0)).toBe('0');
    expect(formatLatencyTick(0.25)).toBe('250 µs');
    expect(formatLatencyTick(100)).toBe('100 ms');
    expect(formatLatencyTick(2.5)).toBe('2.5 ms');
    expect(formatLatencyTick(1500)).toBe('1.5 s');
    expect(formatLatencyTick(1000)).toBe('1 s');
    expect(formatRpsTick(16)).toBe('16');
    expect(formatRpsTick(2.5)).toBe('2.5');
    expect(formatRpsTick(0.25)).toBe('0.25');
    expect(formatRpsTick(0)).toBe('0');
  });
});

describe('formatRouteName', () => {
  it('names the traffic no route matched', () => {
    expect(formatRouteName('')).toBe(UNMATCHED_ROUTE);
    expect(formatRouteName('')).toBe('[unmatched]');
    expect(formatRouteName('get-books')).toBe('get-books');
  });
});

describe('formatAgeSeconds', () => {
  it.each([
    [0.93, '0.9 s'],
    [12.4, '12 s'],
    [184, '3 min 4 s'],
    [7500, '2 h 5 min'],
  ])('%s s → %s', (seconds, text) => {
    expect(formatAgeSeconds(seconds)).toBe(text);
  });

  it('shows no data for null and nonsense', () => {
    expect(formatAgeSeconds(null)).toBe(NO_DATA);
    expect(formatAgeSeconds(-1)).toBe(NO_DATA);
  });
});
