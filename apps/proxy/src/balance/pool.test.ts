import type { FailureAccrual } from '@meshviz/mesh-types';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EndpointTarget } from '../endpoint/forward.js';
import type { BreakerState } from './endpoint-state.js';
import { penaltyMs } from './endpoint-state.js';
import { EndpointPool } from './pool.js';

const endpoint = (port: number): EndpointTarget => ({
  addr: { host: '127.0.0.1', port },
  destination: { key: `ep-${port}`, targetAddr: `127.0.0.1:${port}` },
});
const service = { key: 'svc', targetAddr: '' };
const ref = { namespace: 'shop', name: 'catalog' };
const accrual: FailureAccrual = { kind: 'consecutive', maxFailures: 3, minPenaltyMs: 1_000, maxPenaltyMs: 4_000, jitter: 0 };

function pool(endpoints: EndpointTarget[], config = accrual) {
  const transitions: { endpoint: string; state: BreakerState; penaltyMs: number | undefined }[] = [];
  const p = new EndpointPool('k', ref, ref, service, config, (_pool, state, to, ms) =>
    transitions.push({ endpoint: state.target.destination.targetAddr, state: to, penaltyMs: ms }),
  );
  p.update(endpoints, config, service, 0);
  return { pool: p, transitions };
}

describe('EndpointPool breakers', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('trips after maxFailures consecutive failures, then lets exactly one probe through after the penalty', () => {
    const { pool: p, transitions } = pool([endpoint(1)]);
    const only = p.pick(0)!;
    p.record(only, 'failure', false);
    p.record(only, 'failure', false);
    p.record(only, 'success', false); // resets the run
    p.record(only, 'failure', false);
    p.record(only, 'failure', false);
    expect(p.pick(0)).toBe(only);
    p.record(only, 'failure', false);
    expect(transitions).toEqual([{ endpoint: '127.0.0.1:1', state: 'tripped', penaltyMs: 1_000 }]);
    expect(p.pick(0)).toBeUndefined();
    expect(p.counts()).toEqual({ ready: 0, pending: 1 });

    vi.advanceTimersByTime(999);
    expect(p.pick(0)).toBeUndefined();
    vi.advanceTimersByTime(1);
    expect(transitions.at(-1)?.state).toBe('probation');
    const probe = p.pick(0);
    expect(probe).toBe(only);
    // Nothing else goes there while the probe is out.
    expect(p.pick(0)).toBeUndefined();
    // It fails: tripped again, for twice as long.
    p.record(only, 'failure', true);
    expect(transitions.at(-1)).toEqual({ endpoint: '127.0.0.1:1', state: 'tripped', penaltyMs: 2_000 });
    vi.advanceTimersByTime(2_000);
    expect(p.pick(0)).toBe(only);
    p.record(only, 'success', true);
    expect(transitions.at(-1)?.state).toBe('closed');
    expect(p.counts()).toEqual({ ready: 1, pending: 0 });
    expect(p.pick(0)).toBe(only);
  });

  it('ignores what requests sent before a trip report, and lets another request probe when the probe was abandoned', () => {
    const { pool: p, transitions } = pool([endpoint(1)], { ...accrual, maxFailures: 1 });
    const state = p.pick(0)!;
    p.record(state, 'failure', false);
    p.record(state, 'success', false); // an older request, answered after the trip
    expect(p.counts().pending).toBe(1);
    vi.advanceTimersByTime(1_000);
    expect(p.pick(0)).toBe(state);
    p.record(state, 'neutral', true);
    expect(p.pick(0)).toBe(state);
    p.record(state, 'success', true);
    expect(transitions.map((t) => t.state)).toEqual(['tripped', 'probation', 'closed']);
  });

  it('keeps each endpoint state across discovery updates, and forgets endpoints that left', () => {
    const { pool: p } = pool([endpoint(1), endpoint(2)], { ...accrual, maxFailures: 1 });
    const first = p.endpoints.find((s) => s.target.addr.port === 1)!;
    first.inFlight = 4;
    first.rtt.observe(500, 0);
    p.record(first, 'failure', false);
    p.update([endpoint(1), endpoint(3)], { ...accrual, maxFailures: 1 }, service, 10);
    const again = p.endpoints.find((s) => s.target.addr.port === 1)!;
    expect(again).toBe(first);
    expect(again.breaker).toBe('tripped');
    expect(again.inFlight).toBe(4);
    expect(p.endpoints.map((s) => s.target.addr.port).sort()).toEqual([1, 3]);
    // Only the new endpoint takes traffic while the old one sits out its penalty.
    for (let i = 0; i < 10; i++) expect(p.pick(0)?.target.addr.port).toBe(3);
  });

  it('closes every breaker when accrual is turned off', () => {
    const { pool: p } = pool([endpoint(1)], { ...accrual, maxFailures: 1 });
    p.record(p.pick(0)!, 'failure', false);
    expect(p.pick(0)).toBeUndefined();
    p.update([endpoint(1)], { ...accrual, kind: 'none' }, service, 0);
    expect(p.pick(0)?.target.addr.port).toBe(1);
    p.record(p.pick(0)!, 'failure', false);
    expect(p.counts()).toEqual({ ready: 1, pending: 0 });
  });

  it('prefers the endpoint with the lower round-trip estimate × (in flight + 1)', () => {
    const { pool: p } = pool([endpoint(1), endpoint(2)]);
    const [a, b] = p.endpoints as [NonNullable<ReturnType<typeof p.pick>>, NonNullable<ReturnType<typeof p.pick>>];
    a.rtt.observe(300, 0);
    b.rtt.observe(30, 0);
    for (let i = 0; i < 5; i++) expect(p.pick(0)).toBe(b);
    b.inFlight = 10; // 30 × 11 > 300 × 1
    expect(p.pick(0)).toBe(a);
  });
});

describe('penaltyMs', () => {
  it('doubles per consecutive trip up to the maximum, spread by ± jitter', () => {
    const spec: FailureAccrual = { kind: 'consecutive', maxFailures: 7, minPenaltyMs: 1_000, maxPenaltyMs: 60_000, jitter: 0.5 };
    expect([1, 2, 3, 7, 20].map((trips) => penaltyMs(spec, trips, () => 0.5))).toEqual([1_000, 2_000, 4_000, 60_000, 60_000]);
    expect(penaltyMs(spec, 1, () => 0)).toBe(500);
    expect(penaltyMs(spec, 1, () => 0.999_999)).toBeCloseTo(1_500, 0);
  });
});
