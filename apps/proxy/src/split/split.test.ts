import { describe, expect, it } from 'vitest';
import type { EndpointPool } from '../balance/pool.js';
import { BackendSplit, type WeightedBackend } from './split.js';

const backend = (key: string, weight: number): WeightedBackend => {
  const pool = {} as EndpointPool;
  return { pool, balanced: { kind: 'balanced', pool }, ref: { namespace: 'shop', name: key }, key, weight };
};

const picks = (split: BackendSplit, n: number): string[] => Array.from({ length: n }, () => split.pick()?.key ?? '-');

describe('BackendSplit (smooth weighted round robin)', () => {
  it('gives each backend exactly its weight over every cycle, interleaved rather than in blocks', () => {
    expect(picks(new BackendSplit([backend('a', 3), backend('b', 1)]), 8).join('')).toBe('aabaaaba');
    const counts = new Map<string, number>();
    for (const key of picks(new BackendSplit([backend('v1', 90), backend('v2', 7), backend('v3', 3)]), 1000)) {
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(Object.fromEntries(counts)).toEqual({ v1: 900, v2: 70, v3: 30 });
  });

  it('never picks a backend of weight 0, and nothing when no backend has weight', () => {
    expect(new Set(picks(new BackendSplit([backend('a', 0), backend('b', 2)]), 10))).toEqual(new Set(['b']));
    expect(picks(new BackendSplit([backend('a', 0), backend('b', 0)]), 2)).toEqual(['-', '-']);
    expect(picks(new BackendSplit([backend('a', 0)]), 1)).toEqual(['-']);
    expect(picks(new BackendSplit([backend('a', 5)]), 2)).toEqual(['a', 'a']);
  });
});
