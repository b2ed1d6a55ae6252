import { describe, expect, it } from 'vitest';
import { formatLatencyMs, formatRps, formatSuccessRate, NO_DATA, NO_TRAFFIC, successLevel } from './format';

describe('formatLatencyMs', () => {
  it.each([
    [0, '0 µs'],
    [0.0004, '0.4 µs'],
    [0.1, '100 µs'],
    [0.25, '250 µs'],
    [0.9994, '999 µs'],
    // Rounds up into the next unit instead of showing "1000 µs".
    [0.9996, '1.00 ms'],
    [1, '1.00 ms'],
    [1.234, '1.23 ms'],
    [9.996, '10.0 ms'],
    [12.345, '12.3 ms'],
    [123.45, '123.5 ms'],
    [999.94, '999.9 ms'],
    [999.96, '1.00 s'],
    [1000, '1.00 s'],
    [1234, '1.23 s'],
    [50_000, '50.00 s'],
    [123_456, '123.5 s'],
  ])('%s ms → %s', (ms, text) => {
    expect(formatLatencyMs(ms)).toBe(text);
  });

  it('is not rounded to whole milliseconds', () => {
    expect(formatLatencyMs(2.5)).toBe('2.50 ms');
    expect(formatLatencyMs(2.5)).not.toBe(formatLatencyMs(3));
  });

  it('shows no data for null, NaN, infinities and negatives', () => {
    for (const v of [null, Number.NaN, Number.POSITIVE_INFINITY, -1]) expect(formatLatencyMs(v)).toBe(NO_DATA);
  });
});

describe('formatSuccessRate', () => {
  it.each([
    [1, '100.00%'],
    [0, '0.00%'],
    [0.5, '50.00%'],
    [0.98765, '98.77%'],
    [0.123456, '12.35%'],
    [0.99996, '99.99%'],
    [0.00004, '0.01%'],
  ])('%s → %s', (rate, text) => {
    expect(formatSuccessRate(rate)).toBe(text);
  });

  it('shows no data for null and NaN', () => {
    expect(formatSuccessRate(null)).toBe(NO_DATA);
    expect(formatSuccessRate(Number.NaN)).toBe(NO_DATA);
  });
});

describe('formatRps', () => {
  it.each([
    [0, '0'],
    [0.0004, '<0.001'],
    [0.0167, '0.017'],
    [1, '1.00'],
    [12.345, '12.35'],
    [1234.56, '1234.6'],
  ])('%s → %s', (rps, text) => {
    expect(formatRps(rps)).toBe(text);
  });

  it('marks null as no traffic, never 0', () => {
    expect(formatRps(null)).toBe(NO_TRAFFIC);
    expect(formatRps(null)).not.toBe(formatRps(0));
  });

  it('shows no data for values that cannot be a rate', () => {
    expect(formatRps(Number.NaN)).toBe(NO_DATA);
    expect(formatRps(-1)).toBe(NO_DATA);
  });
});

describe('successLevel', () => {
  it('grades rates and keeps null apart', () => {
    expect(successLevel(1)).toBe('good');
    expect(successLevel(0.99)).toBe('good');
    expect(successLevel(0.97)).toBe('warn');
    expect(successLevel(0.5)).toBe('bad');
    expect(successLevel(null)).toBe('none');
  });
});
