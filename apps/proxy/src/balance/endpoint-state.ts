import type { FailureAccrual } from '@meshviz/mesh-types';
import type { EndpointTarget } from '../endpoint/forward.js';
import { PeakEwma } from './ewma.js';

/** closed: takes traffic; tripped: sits out its penalty; probation: its penalty is over, one request decides. */
export type BreakerState = 'closed' | 'tripped' | 'probation';

/**
 * What the balancer knows of one endpoint: requests in flight, its round-trip estimate and its circuit breaker. It
 * outlives discovery updates for as long as the endpoint stays listed (EndpointPool.update), so a table swap
 * neither forgets a slow endpoint nor lets a tripped one back early.
 */
export class EndpointState {
  target: EndpointTarget;
  inFlight = 0;
  readonly rtt: PeakEwma;
  breaker: BreakerState = 'closed';
  /** Consecutive failures while closed. */
  failures = 0;
  /** Consecutive trips without a successful probe in between: the penalty doubles with each. */
  trips = 0;
  /** In probation, whether the one request it lets through has been sent. */
  probing = false;
  /** Pending end of a penalty; undefined unless tripped. */
  penalty: NodeJS.Timeout | undefined;
  /** Connection attempts failed in a row (refused, timed out, unreachable); reset by any answer. */
  connectFailures = 0;
  /** Until its connect backoff ends, the endpoint takes requests only when no other can. */
  backoff: NodeJS.Timeout | undefined;

  constructor(target: EndpointTarget, now: number) {
    this.target = target;
    this.rtt = new PeakEwma(now);
  }

  /** The balancer's cost: the round-trip estimate scaled by the work already waiting on it. */
  cost(now: number): number {
    return this.rtt.current(now) * (this.inFlight + 1);
  }
}

/** The wait before a new connection is tried after a failed one: 100 ms doubling to 500 ms, ± 10 %. */
export const CONNECT_BACKOFF = { minMs: 100, maxMs: 500, jitter: 0.1 } as const;

/** The connect backoff after `failures` consecutive failed connection attempts. */
export function connectBackoffMs(failures: number, random: () => number): number {
  const base = Math.min(CONNECT_BACKOFF.minMs * 2 ** Math.min(failures - 1, 30), CONNECT_BACKOFF.maxMs);
  return base * (1 + CONNECT_BACKOFF.jitter * (2 * random() - 1));
}

/**
 * The penalty of the `trips`-th consecutive trip: minPenalty doubling with each trip up to maxPenalty, spread by
 * ± jitter so endpoints tripped together do not all come back at the same moment.
 */
export function penaltyMs(accrual: FailureAccrual, trips: number, random: () => number): number {
  const base = Math.min(accrual.minPenaltyMs * 2 ** Math.min(trips - 1, 30), accrual.maxPenaltyMs);
  return Math.max(0, base * (1 + accrual.jitter * (2 * random() - 1)));
}
