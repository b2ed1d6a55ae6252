import { describe, expect, it } from 'vitest';
import { statsRowsOf } from './rows.js';

const s = (labels: Record<string, string>, value: number) => ({ labels, value });

describe('statsRowsOf', () => {
  it('tcp: a gauge of 0 is a measured 0; counters that did not move and absent series are null', () => {
    const rows = statsRowsOf(
      { kind: 'deployment', rowLabels: ['namespace', 'deployment'], podLabels: ['namespace', 'deployment'] },
      {
        pods: [s({ namespace: 'a', deployment: 'idle' }, 1), s({ namespace: 'a', deployment: 'quiet' }, 1)],
        rates: [],
        buckets: [],
        tcp: {
          open: [s({ namespace: 'a', deployment: 'idle' }, 0)],
          read: [s({ namespace: 'a', deployment: 'idle' }, 0)],
          written: [s({ namespace: 'a', deployment: 'idle' }, 0)],
        },
      },
    );
    expect(rows.map((r) => r.tcp)).toEqual([
      { openConnections: 0, readBytesPerSec: null, writeBytesPerSec: null },
      { openConnections: null, readBytesPerSec: null, writeBytesPerSec: null },
    ]);
  });

  it('service rows: meshed pods of every workload the callers reached through the service, each counted once', () => {
    const svc = { dst_namespace: 'shop', dst_service: 'api' };
    const rows = statsRowsOf(
      { kind: 'service', rowLabels: ['dst_namespace', 'dst_service'], podLabels: ['namespace', 'deployment'] },
      {
        pods: [s({ namespace: 'shop', deployment: 'api-v1' }, 2), s({ namespace: 'shop', deployment: 'api-v2' }, 3), s({ namespace: 'shop', deployment: 'other' }, 5)],
        rates: [
          s({ ...svc, dst_deployment: 'api-v1', classification: 'success' }, 3),
          s({ ...svc, dst_deployment: 'api-v1', classification: 'failure' }, 1),
          s({ ...svc, dst_deployment: 'api-v2', classification: 'success' }, 4),
        ],
        buckets: [],
      },
    );
    // Meshed workloads are not service rows: services are known only from their callers' series.
    expect(rows).toEqual([
      { kind: 'service', namespace: 'shop', name: 'api', meshedPods: 5, rps: 8, successRate: 7 / 8, latencyMs: { p50: null, p95: null, p99: null } },
    ]);
  });
});
