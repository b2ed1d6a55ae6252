import { describe, expect, it } from 'vitest';
import { describePass, judge } from './verdict.js';

const bounds = { minSuccessRate: 0.99, maxP99Ms: 500 };

describe('judging the canary', () => {
  it('passes a canary within both bounds, the bounds themselves included', () => {
    expect(judge({ rps: 2, successRate: 1, p99Ms: 12 }, bounds)).toEqual([]);
    expect(judge({ rps: 2, successRate: 0.99, p99Ms: 500 }, bounds)).toEqual([]);
    expect(describePass({ rps: 2, successRate: 1, p99Ms: 12 }, bounds)).toBe('within bounds: success rate 100.00% ≥ 99.00%, p99 12.0ms ≤ 500.0ms');
  });

  it('fails a success rate below the minimum, naming it and its value', () => {
    expect(judge({ rps: 2, successRate: 0.5, p99Ms: 12 }, bounds)).toEqual([
      { metric: 'success-rate', value: 0.5, message: 'success rate 50.00% is below the minimum 99.00%' },
    ]);
  });

  it('fails a p99 above the maximum, naming it and its value', () => {
    expect(judge({ rps: 2, successRate: 1, p99Ms: 812 }, bounds)).toEqual([
      { metric: 'p99', value: 812, message: 'p99 812.0ms is above the maximum 500.0ms' },
    ]);
  });

  it('names both when both bounds break', () => {
    expect(judge({ rps: 2, successRate: 0.9, p99Ms: 2500 }, bounds).map((f) => f.metric)).toEqual(['success-rate', 'p99']);
  });

  it('fails a canary with no traffic to judge, or none the API knows of', () => {
    expect(judge({ rps: null, successRate: null, p99Ms: null }, bounds)).toEqual([
      { metric: 'traffic', value: null, message: 'the canary answered no request in the window: nothing to judge it by' },
    ]);
    expect(judge({ rps: 0, successRate: null, p99Ms: null }, bounds)[0]).toMatchObject({ metric: 'traffic', value: 0 });
    expect(judge(null, bounds)[0]).toMatchObject({ metric: 'traffic', value: null });
  });

  it('fails traffic without a p99: the latency bound cannot be checked', () => {
    expect(judge({ rps: 2, successRate: 1, p99Ms: null }, bounds)).toEqual([{ metric: 'p99', value: null, message: 'no p99 latency was measured in the window' }]);
  });
});
