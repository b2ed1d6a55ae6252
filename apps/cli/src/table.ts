/** Renders rows as an aligned plain-text table (what kubectl and linkerd print), numbers right-aligned. */
export function renderTable(headers: string[], rows: string[][], rightAligned: ReadonlySet<number> = new Set()): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('   ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

export const fmtPercent = (v: number | null): string => (v === null ? '-' : `${(v * 100).toFixed(2)}%`);
export const fmtRps = (v: number | null): string => (v === null ? '-' : `${v.toFixed(v < 10 ? 2 : 1)}rps`);
export const fmtMs = (v: number | null): string => {
  if (v === null) return '-';
  if (v < 1) return `${Math.round(v * 1000)}µs`;
  if (v < 1000) return `${v < 10 ? v.toFixed(2) : v.toFixed(1)}ms`;
  return `${(v / 1000).toFixed(2)}s`;
};
