import type { StatsRow } from '@meshviz/mesh-types';

export interface MeshTotals {
  namespaces: number;
  meshedPods: number;
  /** Sum of the namespaces' inbound RPS; null when none saw traffic. */
  rps: number | null;
  /** Success rate over all responses (each namespace weighted by its RPS); null without traffic. */
  successRate: number | null;
}

/** The whole mesh at a glance, from the per-namespace rows. */
export function meshTotals(rows: readonly StatsRow[]): MeshTotals {
  let rps = 0;
  let seen = false;
  let weighted = 0;
  let weight = 0;
  for (const row of rows) {
    if (row.rps === null) continue;
    seen = true;
    rps += row.rps;
    if (row.successRate !== null && row.rps > 0) {
      weighted += row.successRate * row.rps;
      weight += row.rps;
    }
  }
  return {
    namespaces: rows.length,
    meshedPods: rows.reduce((sum, row) => sum + row.meshedPods, 0),
    rps: seen ? rps : null,
    successRate: weight > 0 ? weighted / weight : null,
  };
}
