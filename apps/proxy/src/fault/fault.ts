import type { FaultInjection } from '@meshviz/mesh-types';

/**
 * Picks exactly `share` of the requests it is asked about, spread evenly: with 0.25, the 4th, 8th, 12th… A counter
 * rather than a random draw, so a test (or an operator reading the fault counter) finds the exact share.
 */
export class EvenShare {
  private credit = 0;

  constructor(private readonly share: number) {}

  next(): boolean {
    if (this.share <= 0) return false;
    this.credit += this.share;
    // A tolerance for binary fractions (0.1 × 10 is 0.9999999999999999).
    if (this.credit < 1 - 1e-9) return false;
    this.credit -= 1;
    return true;
  }
}

/** What to do to one request: hold it `delayMs` first, answer it with status `abort` instead of sending it. */
export interface FaultDecision {
  readonly delayMs: number | undefined;
  readonly abort: number | undefined;
}

const NONE: FaultDecision = { delayMs: undefined, abort: undefined };

/** A route's fault injection, compiled: each kind picks its own share of the route's requests. */
export class Fault {
  private readonly abortShare: EvenShare | undefined;
  private readonly delayShare: EvenShare | undefined;

  constructor(private readonly spec: FaultInjection) {
    this.abortShare = spec.abort ? new EvenShare(spec.abort.share) : undefined;
    this.delayShare = spec.delay ? new EvenShare(spec.delay.share) : undefined;
  }

  decide(): FaultDecision {
    const delay = this.delayShare?.next() === true;
    const abort = this.abortShare?.next() === true;
    if (!delay && !abort) return NONE;
    return { delayMs: delay ? this.spec.delay?.ms : undefined, abort: abort ? this.spec.abort?.status : undefined };
  }
}
