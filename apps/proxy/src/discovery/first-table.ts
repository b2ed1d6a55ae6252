/**
 * Whether discovery knows anything yet. A table fed by the destination stream knows nothing until the stream's
 * first message: requests arriving before it wait for it, each at most `initialWaitMs`; the first wait that runs
 * out gives up for everyone, and later requests are refused at once (rather than each waiting) until a table
 * arrives. A table fed by the destinations file alone is settled from the start.
 */
export class FirstTable {
  private state: 'waiting' | 'settled' | 'gave-up';
  private readonly waiters = new Set<(settled: boolean) => void>();

  constructor(
    awaitFirst: boolean,
    private readonly initialWaitMs: number,
  ) {
    this.state = awaitFirst ? 'waiting' : 'settled';
  }

  get settled(): boolean {
    return this.state === 'settled';
  }

  /** Resolves true once a table is in force, false when none came in time. */
  wait(): Promise<boolean> {
    if (this.state !== 'waiting') return Promise.resolve(this.state === 'settled');
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.giveUp(), this.initialWaitMs);
      this.waiters.add((settled) => {
        clearTimeout(timer);
        resolve(settled);
      });
    });
  }

  settle(): void {
    this.finish('settled');
  }

  private giveUp(): void {
    if (this.state === 'waiting') this.finish('gave-up');
  }

  private finish(state: 'settled' | 'gave-up'): void {
    this.state = state;
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const resolve of waiters) resolve(state === 'settled');
  }
}
