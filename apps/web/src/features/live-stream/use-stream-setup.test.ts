import { describe, expect, it } from 'vitest';
import { EMPTY_FILTERS, filterProblems } from './stream-filters';
import { startBlocked } from './use-stream-setup';

describe('startBlocked', () => {
  const check = (token: string | null, filters: typeof EMPTY_FILTERS) => startBlocked(token, filters, filterProblems(filters));

  it('asks for the token first, then a namespace, then a valid filter', () => {
    expect(check(null, { ...EMPTY_FILTERS, namespace: 'bookshop' })).toBe('Paste the tap token above first.');
    expect(check('t', EMPTY_FILTERS)).toBe('Choose a namespace first.');
    expect(check('t', { ...EMPTY_FILTERS, namespace: 'bookshop', max_rps: '0' })).toMatch(/^The max rps filter is not valid: /);
    expect(check('t', { ...EMPTY_FILTERS, namespace: 'bookshop' })).toBeNull();
  });
});
