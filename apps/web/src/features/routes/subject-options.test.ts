import type { StatsRow } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { subjectGroups, subjectOfValue, subjectValue } from './subject-options';

function row(kind: StatsRow['kind'], namespace: string, name: string): StatsRow {
  return { kind, namespace, name, meshedPods: 0, rps: null, successRate: null, latencyMs: { p50: null, p95: null, p99: null } };
}

describe('subjectValue and subjectOfValue', () => {
  it('round-trip a workload and a service of the same name apart', () => {
    const workload = { kind: 'workload', namespace: 'bookshop', name: 'reviews' } as const;
    const service = { kind: 'service', namespace: 'bookshop', name: 'reviews' } as const;
    expect(subjectValue(workload)).toBe('workload/bookshop/reviews');
    expect(subjectValue(service)).toBe('service/bookshop/reviews');
    expect(subjectOfValue(subjectValue(workload))).toEqual(workload);
    expect(subjectOfValue(subjectValue(service))).toEqual(service);
    expect(subjectValue(null)).toBe('');
  });

  it('is null for the placeholder and anything malformed', () => {
    for (const value of ['', 'bookshop/reviews', 'pod/bookshop/reviews', 'service/bookshop', 'service//reviews', 'service/a/b/c']) {
      expect(subjectOfValue(value)).toBeNull();
    }
  });
});

describe('subjectGroups', () => {
  const workloads = [row('deployment', 'bookshop', 'web'), row('deployment', 'billing', 'payments'), row('deployment', 'bookshop', 'reviews')];
  const services = [row('service', 'bookshop', 'reviews'), row('service', 'billing', 'payments')];

  it('lists workloads, then services, each by namespace and name', () => {
    expect(subjectGroups(workloads, services, null)).toEqual([
      {
        kind: 'workload',
        label: 'Workloads',
        options: [
          { value: 'workload/billing/payments', label: 'billing/payments' },
          { value: 'workload/bookshop/reviews', label: 'bookshop/reviews' },
          { value: 'workload/bookshop/web', label: 'bookshop/web' },
        ],
      },
      {
        kind: 'service',
        label: 'Services',
        options: [
          { value: 'service/billing/payments', label: 'billing/payments' },
          { value: 'service/bookshop/reviews', label: 'bookshop/reviews' },
        ],
      },
    ]);
  });

  it('keeps the chosen subject in its own group when the stats do not list it, and leaves empty groups out', () => {
    const groups = subjectGroups(undefined, services, { kind: 'service', namespace: 'shop', name: 'gone' });
    expect(groups.map((g) => g.kind)).toEqual(['service']);
    expect(groups[0]?.options.map((o) => o.value)).toEqual(['service/shop/gone', 'service/billing/payments', 'service/bookshop/reviews']);
    // Listed already: not twice.
    const listed = subjectGroups(workloads, services, { kind: 'workload', namespace: 'bookshop', name: 'web' });
    expect(listed[0]?.options.filter((o) => o.value === 'workload/bookshop/web')).toHaveLength(1);
    expect(subjectGroups(undefined, undefined, null)).toEqual([]);
  });
});
