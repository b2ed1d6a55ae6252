import type { StatsRow } from '@meshviz/mesh-types';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { TestIds } from '../../testids';
import { WorkloadsTable } from './workloads-table';

const busy: StatsRow = {
  kind: 'deployment',
  namespace: 'bookshop',
  name: 'web',
  meshedPods: 2,
  rps: 12.345,
  successRate: 0.98765,
  latencyMs: { p50: 0.25, p95: 1.234, p99: 1234 },
};
const idle: StatsRow = {
  kind: 'deployment',
  namespace: 'billing',
  name: 'ledger',
  meshedPods: 1,
  rps: null,
  successRate: null,
  latencyMs: { p50: null, p95: null, p99: null },
};

function cell(html: string, testId: string, rowIndex: number): string {
  const rows = html.split(`data-testid="${TestIds.workloadRow}"`).slice(1);
  const match = new RegExp(`data-testid="${testId}"[^>]*>(.*?)</td>`).exec(rows[rowIndex] ?? '');
  return match?.[1] ?? '';
}

describe('WorkloadsTable', () => {
  const html = renderToStaticMarkup(<WorkloadsTable rows={[busy, idle]} window="1m" />);

  it('has the columns in order', () => {
    const headers = [...html.matchAll(/<th scope="col"[^>]*>(.*?)<\/th>/g)].map((m) => m[1]);
    expect(headers).toEqual(['Namespace', 'Workload', 'Meshed pods', 'Success rate', 'RPS', 'P50', 'P95', 'P99']);
  });

  it('formats measured values with units and percentages', () => {
    expect(cell(html, TestIds.workloadSuccessRate, 0)).toBe('98.77%');
    expect(cell(html, TestIds.workloadRps, 0)).toBe('12.35');
    expect(cell(html, TestIds.workloadP50, 0)).toBe('250 µs');
    expect(cell(html, TestIds.workloadP95, 0)).toBe('1.23 ms');
    expect(cell(html, TestIds.workloadP99, 0)).toBe('1.23 s');
  });

  it('marks no traffic and no data, never as 0', () => {
    expect(cell(html, TestIds.workloadRps, 1)).toContain('no traffic');
    for (const id of [TestIds.workloadSuccessRate, TestIds.workloadP50, TestIds.workloadP95, TestIds.workloadP99]) {
      expect(cell(html, id, 1)).toMatch(/aria-label="no data"[^>]*>—</);
    }
    expect(cell(html, TestIds.workloadRps, 1)).not.toMatch(/>0</);
  });

  it('carries raw values for tests and tools', () => {
    expect(html).toContain('data-namespace="bookshop" data-workload="web" data-rps="12.345"');
    expect(html).toContain('data-namespace="billing" data-workload="ledger" data-rps=""');
  });
});

describe('WorkloadsTable links', () => {
  it('links each workload to its detail page, keeping the shared view parameters only', () => {
    const html = renderToStaticMarkup(
      <WorkloadsTable rows={[busy]} window="1m" query="namespace=bookshop&window=5m&range=6h&refresh=off" />,
    );
    expect(html).toContain('href="/namespaces/bookshop/workloads/web?window=5m&amp;range=6h&amp;refresh=off"');
    expect(html).toContain(`data-testid="${TestIds.workloadLink}"`);
  });
});
