import { describe, expect, it } from 'vitest';
import { WeightedRoundRobin } from './weighted-round-robin.js';

describe('WeightedRoundRobin', () => {
  it('spreads 3:1 as A A B A, the same every run', () => {
    const picker = new WeightedRoundRobin([
      { item: 'A', weight: 3 },
      { item: 'B', weight: 1 },
    ]);
    expect(Array.from({ length: 8 }, () => picker.next()).join('')).toBe('AABAAABA');
  });

  it('gives each item exactly its weight in every full cycle', () => {
    const picker = new WeightedRoundRobin([
      { item: 'a', weight: 5 },
      { item: 'b', weight: 2 },
      { item: 'c', weight: 1 },
    ]);
    const picks = Array.from({ length: 80 }, () => picker.next());
    expect(picks.filter((p) => p === 'a').length).toBe(50);
    expect(picks.filter((p) => p === 'b').length).toBe(20);
    expect(picks.filter((p) => p === 'c').length).toBe(10);
  });
});
