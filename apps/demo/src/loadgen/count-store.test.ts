import { describe, expect, it } from 'vitest';
import { CountStore, ERROR_STATUS, RETENTION_SECONDS } from './count-store.js';
import { CountsResponse } from './counts-schema.js';

const targets = [
  { service: 'web.bookshop', method: 'GET' as const, path: '/books' },
  { service: 'web.bookshop', method: 'POST' as const, path: '/checkout' },
];

function storeAt(startSecond: number) {
  let nowMs = startSecond * 1000;
  const store = new CountStore(targets, () => nowMs);
  return { store, at: (second: number) => (nowMs = second * 1000 + 500) };
}

describe('CountStore', () => {
  it('counts per target and status in the second the response completed, from inclusive, to exclusive', () => {
    const { store, at } = storeAt(1_000);
    at(1_000);
    store.record(0, 200, 1);
    store.record(0, 502, 2);
    at(1_001);
    store.record(0, 200, 3);
    store.record(1, ERROR_STATUS, 4);
    store.record(1, 404, 5);
    at(1_002);
    store.record(1, 500, 6);

    const middle = store.query({ from: 1_001, to: 1_002 });
    expect(CountsResponse.parse(middle)).toEqual(middle);
    expect(middle).toMatchObject({ from: 1_001, to: 1_002, total: 3, failures: 1 });
    expect(middle.targets[0]).toMatchObject({ total: 1, failures: 0, statuses: { '200': 1 } });
    expect(middle.targets[1]).toMatchObject({ total: 2, failures: 1, statuses: { '404': 1, error: 1 } });

    const all = store.query();
    expect(all).toMatchObject({ from: 1_002 - RETENTION_SECONDS + 1, to: 1_003, total: 6, failures: 3 });
    expect(store.query({ from: 1_003 }).total).toBe(0);
    expect(store.query({ to: 1_000 }).total).toBe(0);
  });

  it('reports exact nearest-rank quantiles, and null without samples', () => {
    const { store, at } = storeAt(2_000);
    at(2_000);
    // 1..100 ms in shuffled order: p50 is the 50th smallest, p99 the 99th.
    for (let i = 0; i < 100; i++) store.record(0, 200, ((i * 37) % 100) + 1 + 0.25);
    const counts = store.query({ from: 2_000, to: 2_001 });
    expect(counts.targets[0]!.latencyMs).toEqual({ p50: 50.25, p95: 95.25, p99: 99.25 });
    expect(counts.targets[1]!.latencyMs).toEqual({ p50: null, p95: null, p99: null });
  });

  it('keeps only the last two hours', () => {
    const { store, at } = storeAt(10_000);
    at(10_000);
    store.record(0, 200, 1);
    at(10_000 + RETENTION_SECONDS - 1);
    store.record(0, 200, 1);
    expect(store.query({ from: 0 }).total).toBe(2);
    at(10_000 + RETENTION_SECONDS);
    store.record(0, 200, 1);
    expect(store.query({ from: 0 }).total).toBe(2);
    expect(store.query({ from: 0, to: 10_001 }).total).toBe(0);
  });
});
