import { describe, expect, it } from 'vitest';
import { DNS1123_LABEL, parseDurationSeconds } from './resources.js';
import { StatsQuery } from './stats.js';

describe('parseDurationSeconds', () => {
  it.each([
    ['30s', 30],
    ['1m', 60],
    ['1h30m', 5400],
    ['24h', 86400],
    ['1m30s', 90],
  ])('%s -> %d', (text, seconds) => expect(parseDurationSeconds(text)).toBe(seconds));

  it.each(['', '1', '1d', 'm', '-1m', '1.5m', '1m 2s'])('rejects %j', (text) => {
    expect(parseDurationSeconds(text)).toBeNull();
  });
});

describe('StatsQuery', () => {
  it('accepts at as RFC 3339 or unix seconds and refuses the future', () => {
    expect(StatsQuery.safeParse({ at: '2026-01-02T03:04:05Z' }).success).toBe(true);
    expect(StatsQuery.safeParse({ at: '1767322800' }).success).toBe(true);
    expect(StatsQuery.safeParse({ at: 'yesterday' }).success).toBe(false);
    expect(StatsQuery.safeParse({ at: String(Math.floor(Date.now() / 1000) + 3600) }).success).toBe(false);
  });
  it('applies defaults', () => {
    expect(StatsQuery.parse({})).toEqual({ kind: 'deployment', namespace: 'all', window: '1m' });
  });
  it('rejects windows outside 30s..24h and names the field', () => {
    const r = StatsQuery.safeParse({ window: '10s' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['window']);
    expect(StatsQuery.safeParse({ window: '25h' }).success).toBe(false);
  });
  it('rejects namespaces that are not DNS-1123 labels', () => {
    for (const ns of ['Bookshop', 'a"}', 'x'.repeat(64), 'a b']) {
      expect(StatsQuery.safeParse({ namespace: ns }).success).toBe(false);
    }
    expect(DNS1123_LABEL.test('bookshop-2')).toBe(true);
  });
  it('rejects kinds outside the closed set', () => {
    expect(StatsQuery.safeParse({ kind: 'service-account' }).success).toBe(false);
  });
});
