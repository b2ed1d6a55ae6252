import { describe, expect, it } from 'vitest';
import {
  customRangeProblem,
  DEFAULT_VIEW,
  globalParams,
  hrefWith,
  parseViewParams,
  rangeSeconds,
  statsAt,
  timeRangeUpdates,
  timeseriesRange,
} from './view-params';

const parse = (query: string) => parseViewParams(new URLSearchParams(query));

describe('parseViewParams', () => {
  it('falls back to the defaults', () => {
    expect(parse('')).toEqual(DEFAULT_VIEW);
    expect(parse('window=7m&range=2d&refresh=1s')).toEqual(DEFAULT_VIEW);
  });

  it('reads window, relative range and refresh', () => {
    expect(parse('window=5m&range=24h&refresh=off')).toEqual({ window: '5m', time: { kind: 'relative', range: '24h' }, refresh: 'off' });
  });

  it('prefers a valid absolute from/to over a range', () => {
    expect(parse('range=5m&from=1700000000&to=1700003600').time).toEqual({ kind: 'absolute', from: 1_700_000_000, to: 1_700_003_600 });
    // Reversed or malformed: back to the relative range.
    expect(parse('range=5m&from=1700003600&to=1700000000').time).toEqual({ kind: 'relative', range: '5m' });
    expect(parse('from=soon&to=1700000000').time).toEqual({ kind: 'relative', range: '1h' });
  });
});

describe('time range conversions', () => {
  const absolute = { kind: 'absolute', from: 1_700_000_000, to: 1_700_005_400 } as const;

  it('writes only the parameters that select the range, leaving defaults out', () => {
    expect(timeRangeUpdates(absolute)).toEqual({ range: null, from: '1700000000', to: '1700005400' });
    expect(timeRangeUpdates({ kind: 'relative', range: '6h' })).toEqual({ range: '6h', from: null, to: null });
    expect(timeRangeUpdates({ kind: 'relative', range: '1h' })).toEqual({ range: null, from: null, to: null });
  });

  it('gives the API a range and an end', () => {
    expect(timeseriesRange({ kind: 'relative', range: '15m' })).toEqual({ range: '15m' });
    expect(timeseriesRange(absolute)).toEqual({ range: '5400s', end: '1700005400' });
    expect(rangeSeconds(absolute)).toBe(5400);
    expect(rangeSeconds({ kind: 'relative', range: '24h' })).toBe(86_400);
  });

  it('looks back at the end of an absolute range only', () => {
    expect(statsAt(absolute)).toBe('1700005400');
    expect(statsAt({ kind: 'relative', range: '5m' })).toBeUndefined();
  });
});

describe('hrefWith and globalParams', () => {
  it('sets, keeps and removes parameters; "" is a value', () => {
    expect(hrefWith('/routes', 'namespace=a&route=x', { route: '' })).toBe('/routes?namespace=a&route=');
    expect(hrefWith('/routes', 'namespace=a&route=x', { route: null, workload: 'w' })).toBe('/routes?namespace=a&workload=w');
    expect(hrefWith('/topology', '', { namespace: undefined })).toBe('/topology');
  });

  it('keeps only what travels between pages', () => {
    expect(globalParams('namespace=a&window=5m&selected=x&from=1&to=2&refresh=off&range=6h').toString()).toBe(
      'window=5m&range=6h&from=1&to=2&refresh=off',
    );
  });
});

describe('customRangeProblem', () => {
  const now = 1_700_000_000_000;
  it('accepts a minute to a week ending by now', () => {
    expect(customRangeProblem(now - 3_600_000, now, now)).toBeNull();
    expect(customRangeProblem(now - 60_000, now, now)).toBeNull();
  });

  it('explains what is wrong', () => {
    expect(customRangeProblem(Number.NaN, now, now)).toMatch(/both/);
    expect(customRangeProblem(now, now - 1000, now)).toMatch(/before the end/);
    expect(customRangeProblem(now - 30_000, now, now)).toMatch(/at least a minute/);
    expect(customRangeProblem(now - 8 * 86_400_000, now, now)).toMatch(/7 days/);
    expect(customRangeProblem(now, now + 3_600_000, now)).toMatch(/future/);
  });
});
