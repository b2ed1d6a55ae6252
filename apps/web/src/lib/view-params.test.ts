import { describe, expect, it } from 'vitest';
import {
  customRangeProblem,
  DEFAULT_VIEW,
  globalParams,
  hrefWith,
  parseRoutesParams,
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

describe('parseRoutesParams', () => {
  const routes = (query: string) => parseRoutesParams(new URLSearchParams(query));

  it('reads a workload or a service, trimmed', () => {
    expect(routes('namespace=bookshop&workload=reviews&route=x')).toEqual({
      kind: 'chosen',
      subject: { kind: 'workload', namespace: 'bookshop', name: 'reviews' },
    });
    expect(routes('namespace=bookshop&service=%20reviews%20')).toEqual({
      kind: 'chosen',
      subject: { kind: 'service', namespace: 'bookshop', name: 'reviews' },
    });
    // An empty parameter counts as absent.
    expect(routes('namespace=bookshop&workload=&service=reviews')).toMatchObject({ subject: { kind: 'service' } });
  });

  it('asks for nothing until a workload or service is named', () => {
    expect(routes('')).toEqual({ kind: 'none' });
    expect(routes('namespace=bookshop&window=5m')).toEqual({ kind: 'none' });
    expect(routes('namespace=bookshop&service=')).toEqual({ kind: 'none' });
  });

  it('explains names the API would refuse, under the parameter at fault', () => {
    expect(routes('namespace=bookshop&service=Bad_Name')).toEqual({
      kind: 'invalid',
      param: 'service',
      message: 'The service name “Bad_Name” must be a DNS-1123 label (lower-case letters, digits and "-", at most 63 characters).',
    });
    expect(routes(`namespace=bookshop&workload=${'a'.repeat(64)}`)).toMatchObject({ kind: 'invalid', param: 'workload' });
    expect(routes('namespace=Book.Shop&workload=web')).toMatchObject({
      kind: 'invalid',
      param: 'namespace',
      message: expect.stringMatching(/^Namespace “Book\.Shop” must be a DNS-1123 label/),
    });
    // A bad namespace is reported even before a name is chosen: the page would otherwise look empty for no reason.
    expect(routes('namespace=all!')).toMatchObject({ kind: 'invalid', param: 'namespace' });
  });

  it('refuses both a workload and a service, and a name without its namespace', () => {
    expect(routes('namespace=bookshop&workload=web&service=reviews')).toEqual({
      kind: 'invalid',
      param: 'service',
      message: 'The address names both workload “web” and service “reviews”: the page shows the routes of one at a time.',
    });
    expect(routes('service=reviews')).toEqual({
      kind: 'invalid',
      param: 'namespace',
      message: 'The address names service “reviews” but not its namespace.',
    });
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
