import { describe, expect, it } from 'vitest';
import { cacheKey, ResponseCache } from './response-cache.js';

describe('ResponseCache', () => {
  it('coalesces identical concurrent requests into one computation', async () => {
    const cache = new ResponseCache(() => 1000);
    let calls = 0;
    const compute = async () => {
      calls++;
      await new Promise((r) => setTimeout(r, 20));
      return calls;
    };
    const results = await Promise.all([1, 2, 3].map(() => cache.get('k', compute)));
    expect(results).toEqual([1, 1, 1]);
    expect(calls).toBe(1);
  });
  it('recomputes after the ttl and after a failure', async () => {
    let ttl = 1000;
    const cache = new ResponseCache(() => ttl);
    await expect(cache.get('k', () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(await cache.get('k', async () => 1)).toBe(1);
    ttl = 0;
    expect(await cache.get('k', async () => 2)).toBe(2);
  });
  it('builds keys independent of parameter order', () => {
    expect(cacheKey('/p', { b: 1, a: 'x', c: undefined })).toBe(cacheKey('/p', { a: 'x', b: 1 }));
  });
});
