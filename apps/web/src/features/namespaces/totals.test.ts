import type { StatsRow } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { meshTotals } from './totals';

function ns(name: string, meshedPods: number, rps: number | null, successRate: number | null): StatsRow {
  return { kind: 'namespace', namespace: name, name, meshedPods, rps, successRate, latencyMs: { p50: null, p95: null, p99: null } };
}

describe('meshTotals', () => {
  it('adds pods and rps, and weights success by rps', () => {
    const totals = meshTotals([ns('a', 3, 30, 1), ns('b', 2, 10, 0.5), ns('c', 1, null, null)]);
    expect(totals).toEqual({ namespaces: 3, meshedPods: 6, rps: 40, successRate: 0.875 });
  });

  it('keeps "no traffic" apart from 0', () => {
    expect(meshTotals([ns('a', 1, null, null)])).toMatchObject({ rps: null, successRate: null });
    expect(meshTotals([ns('a', 1, 0, null)])).toMatchObject({ rps: 0, successRate: null });
    expect(meshTotals([])).toEqual({ namespaces: 0, meshedPods: 0, rps: null, successRate: null });
  });
});
