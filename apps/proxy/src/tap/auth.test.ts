import { describe, expect, it } from 'vitest';
import { checkBearer } from './auth.js';

describe('checkBearer', () => {
  it('accepts the right token and refuses anything else without echoing it', () => {
    expect(checkBearer('Bearer abc', 'abc')).toBeNull();
    expect(checkBearer('bearer   abc', 'abc')).toBeNull();
    expect(checkBearer('Bearer abd', 'abc')).toBe('invalid tap token');
    expect(checkBearer('Bearer ab', 'abc')).toBe('invalid tap token');
    expect(checkBearer('Basic abc', 'abc')).toMatch(/Bearer <token>/);
    expect(checkBearer(undefined, 'abc')).toMatch(/missing authorization/);
    expect(checkBearer('Bearer abc', undefined)).toMatch(/tap is disabled/);
  });
});
