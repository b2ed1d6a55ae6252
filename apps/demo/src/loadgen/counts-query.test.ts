import { describe, expect, it } from 'vitest';
import { parseCountsQuery } from './counts-query.js';

const parse = (query: string) => parseCountsQuery(new URLSearchParams(query));

describe('parseCountsQuery', () => {
  it('reads optional whole unix seconds', () => {
    expect(parse('')).toEqual({ ok: true });
    expect(parse('from=1700000000&to=1700000060')).toEqual({ ok: true, from: 1_700_000_000, to: 1_700_000_060 });
    expect(parse('to=5')).toEqual({ ok: true, to: 5 });
  });

  it.each([
    ['from=abc', 'from'],
    ['from=1.5', 'from'],
    ['to=-1', 'to'],
    ['to=', 'to'],
    ['from=1&from=2', 'from'],
    ['from=10&to=9', 'from'],
  ])('rejects %s naming %s', (query, param) => {
    expect(parse(query)).toMatchObject({ ok: false, param });
  });
});
