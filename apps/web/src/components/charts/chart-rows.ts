import type { Point } from '@meshviz/mesh-types';

/** One row per timestamp for recharts: `t` in unix seconds, then each series' value or null (a gap). */
export type ChartRow = { t: number } & Record<string, number | null>;

/**
 * Zips aligned series into rows. A timestamp missing from one series, or a null value, stays null: the line breaks
 * there instead of falling to zero.
 */
export function zipSeries(series: Readonly<Record<string, readonly Point[]>>): ChartRow[] {
  const byTime = new Map<number, ChartRow>();
  const keys = Object.keys(series);
  for (const key of keys) {
    for (const [t, value] of series[key] ?? []) {
      let row = byTime.get(t);
      if (row === undefined) {
        row = { t } as ChartRow;
        for (const k of keys) row[k] = null;
        byTime.set(t, row);
      }
      row[key] = value !== null && Number.isFinite(value) ? value : null;
    }
  }
  return [...byTime.values()].sort((a, b) => a.t - b.t);
}

/** How many rows hold a value in any of the keys (0 means an empty chart). */
export function countValues(rows: readonly ChartRow[], keys: readonly string[]): number {
  return rows.filter((row) => keys.some((key) => row[key] !== null && row[key] !== undefined)).length;
}

/** The last value of a series that is not a gap, or null when it has none. */
export function latestValue(rows: readonly ChartRow[], key: string): number | null {
  for (let i = rows.length - 1; i >= 0; i--) {
    const value = rows[i]?.[key];
    if (value !== null && value !== undefined) return value;
  }
  return null;
}

/** The lowest and highest values of some series (gaps skipped); null when they have none. */
export function valueRange(rows: readonly ChartRow[], keys: readonly string[]): { min: number | null; max: number | null } {
  let min: number | null = null;
  let max: number | null = null;
  for (const row of rows) {
    for (const key of keys) {
      const value = row[key];
      if (value === null || value === undefined) continue;
      if (min === null || value < min) min = value;
      if (max === null || value > max) max = value;
    }
  }
  return { min, max };
}
