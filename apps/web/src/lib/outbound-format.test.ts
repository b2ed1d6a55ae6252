import { describe, expect, it } from 'vitest';
import {
  describeRetries,
  describeTimeouts,
  formatAccrual,
  formatDurationMs,
  formatFault,
  formatRetryPolicy,
  formatTimeouts,
  timedOut,
} from './outbound-format';

const none = { requestMs: null, responseMs: null, idleMs: null };

describe('configured outbound policy, as operators say it', () => {
  it('durations', () => {
    expect([500, 1000, 1500, 120_000, 90_000].map(formatDurationMs)).toEqual(['500 ms', '1 s', '1.5 s', '2 min', '90 s']);
  });
  it('timeouts: the whole request first, then per attempt and idle; "none" when none is set', () => {
    expect(formatTimeouts({ timeouts: none, retry: null, fault: null })).toBe('none');
    expect(formatTimeouts({ timeouts: { requestMs: 500, responseMs: null, idleMs: null }, retry: null, fault: null })).toBe('500 ms');
    expect(formatTimeouts({ timeouts: { requestMs: 2000, responseMs: 300, idleMs: 60_000 }, retry: null, fault: null })).toBe(
      '2 s · 300 ms per attempt · 1 min idle',
    );
  });
  it('retries: how many, on which answers, and each attempt’s timeout', () => {
    const policy = { limit: 2, httpStatuses: [[500, 599]] as [number, number][], grpcCodes: [], perAttemptTimeoutMs: 300 };
    expect(formatRetryPolicy({ timeouts: none, retry: policy, fault: null })).toBe('up to 2× on 5xx, 300 ms per attempt');
    expect(formatRetryPolicy({ timeouts: none, retry: { ...policy, httpStatuses: [[502, 504]], grpcCodes: [14], perAttemptTimeoutMs: null }, fault: null })).toBe(
      'up to 2× on 502–504, gRPC 14',
    );
    expect(formatRetryPolicy({ timeouts: none, retry: { ...policy, httpStatuses: [], perAttemptTimeoutMs: null }, fault: null })).toBe(
      'up to 2× on failed connections',
    );
    expect(formatRetryPolicy({ timeouts: none, retry: null, fault: null })).toBe('none');
  });
  it('faults', () => {
    expect(formatFault({ timeouts: none, retry: null, fault: null })).toBeNull();
    expect(formatFault({ timeouts: none, retry: null, fault: { abort: { share: 0.1, status: 503 }, delay: { share: 0.05, ms: 200 } } })).toBe(
      'aborts 10% with 503 · delays 5% by 200 ms',
    );
  });
  it('what retries and timeouts did, for tooltips', () => {
    expect(describeRetries({ rps: 1.14, successRps: 0.97, limitExceededRps: 0.02, overflowRps: null })).toBe(
      '1.14 rps retries sent; 0.970 rps retries succeeded; 0.020 rps requests ran out of retries',
    );
    const t = { rps: 5, request: 0.05, response: 0, idle: 0 };
    expect(timedOut(t)).toBe(0.05);
    expect(describeTimeouts(t)).toBe('0.050 rps hit the request timeout, 0 rps the per-attempt timeout, 0 rps the idle timeout, of 5.00 rps');
  });
  it('failure accrual', () => {
    expect(formatAccrual({ kind: 'none', maxFailures: 7, minPenaltyMs: 1000, maxPenaltyMs: 60_000, jitter: 0.5 })).toBe('none: endpoints are never tripped');
    expect(formatAccrual({ kind: 'consecutive', maxFailures: 7, minPenaltyMs: 1000, maxPenaltyMs: 60_000, jitter: 0.5 })).toBe(
      'trips an endpoint after 7 failures in a row, for 1 s to 1 min (jitter 0.5)',
    );
  });
});
