import { describe, expect, it } from 'vitest';
import { parseHiddenSeries, toggleHiddenSeries } from './hidden-series';

describe('hidden series in the URL', () => {
  it('reads a comma list, ignoring empty items', () => {
    expect([...parseHiddenSeries(null)]).toEqual([]);
    expect([...parseHiddenSeries('p50,,p95')]).toEqual(['p50', 'p95']);
  });

  it('toggles one series and drops the parameter when nothing is hidden', () => {
    expect(toggleHiddenSeries(null, 'p95')).toBe('p95');
    expect(toggleHiddenSeries('p95', 'p50')).toBe('p50,p95');
    expect(toggleHiddenSeries('p50,p95', 'p95')).toBe('p50');
    expect(toggleHiddenSeries('p50', 'p50')).toBeNull();
  });
});
