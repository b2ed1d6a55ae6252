import { describe, expect, it } from 'vitest';
import { formatCount } from './format';

describe('formatCount', () => {
  it('separates thousands', () => {
    expect([0, 7, 999, 1000, 10_000, 1_234_567].map(formatCount)).toEqual(['0', '7', '999', '1,000', '10,000', '1,234,567']);
    expect(formatCount(Number.NaN)).toBe('—');
  });
});
