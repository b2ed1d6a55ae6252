import { OUTBOUND_DEFAULTS } from '@meshviz/mesh-types';

/** Retries may add at most this share of extra attempts over the window… */
export const RETRY_RATIO = OUTBOUND_DEFAULTS.retryBudgetRatio;
export const RETRY_WINDOW_MS = OUTBOUND_DEFAULTS.retryBudgetTtlMs;
/** …plus this many per second of the window, so a route with little traffic can still retry at all. */
export const MIN_RETRIES_PER_SECOND = OUTBOUND_DEFAULTS.retryBudgetMinPerSecond;

const SLOT_MS = 1_000;
const SLOTS = RETRY_WINDOW_MS / SLOT_MS;

/**
 * A retry budget over a sliding window of one-second slots: retries stay below 20 % of the requests of the last
 * 10 s plus 10 per second of the window (100). It bounds how much a failing upstream is hammered: without it, 3 retries per request could
 * quadruple the load on a service that fails because it is overloaded.
 */
export class RetryBudget {
  private readonly requests = new Array<number>(SLOTS).fill(0);
  private readonly retries = new Array<number>(SLOTS).fill(0);
  private slot = -1;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Counts an original request; each one earns `RETRY_RATIO` of a retry. */
  deposit(): void {
    this.requests[this.advance()]! += 1;
  }

  /** Takes one retry from the budget; false when the budget is spent. */
  tryWithdraw(): boolean {
    const current = this.advance();
    const requests = sum(this.requests);
    const retries = sum(this.retries);
    if (retries >= requests * RETRY_RATIO + MIN_RETRIES_PER_SECOND * SLOTS) return false;
    this.retries[current]! += 1;
    return true;
  }

  /** Moves to the slot of now, clearing those the window has left behind; returns its index. */
  private advance(): number {
    const slot = Math.floor(this.now() / SLOT_MS);
    if (slot !== this.slot) {
      const stale = this.slot < 0 ? SLOTS : Math.min(slot - this.slot, SLOTS);
      for (let i = 0; i < stale; i++) {
        const index = (((slot - i) % SLOTS) + SLOTS) % SLOTS;
        this.requests[index] = 0;
        this.retries[index] = 0;
      }
      this.slot = slot;
    }
    return slot % SLOTS;
  }
}

function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}
