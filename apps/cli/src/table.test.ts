import { describe, expect, it } from 'vitest';
import { fmtMs, fmtPercent, fmtRps, renderTable } from './table.js';

describe('renderTable', () => {
  it('aligns columns, numbers to the right', () => {
    expect(renderTable(['NAME', 'RPS'], [['web', '1.5'], ['catalog', '12.25']], new Set([1])).split('\n')).toEqual([
      'NAME        RPS',
      'web         1.5',
      'catalog   12.25',
    ]);
  });
});

describe('formatting', () => {
  it('keeps no data apart from zero', () => {
    expect(fmtPercent(null)).toBe('-');
    expect(fmtPercent(0)).toBe('0.00%');
    expect(fmtRps(null)).toBe('-');
    expect(fmtMs(null)).toBe('-');
  });
  it('uses µs, ms and s without rounding to whole milliseconds', () => {
    expect(fmtMs(0.25)).toBe('250µs');
    expect(fmtMs(3.456)).toBe('3.46ms');
    expect(fmtMs(48.7)).toBe('48.7ms');
    expect(fmtMs(1500)).toBe('1.50s');
    expect(fmtPercent(0.91254)).toBe('91.25%');
  });
});
