import { describe, expect, it } from 'vitest';
import { MIN_RETRIES_PER_SECOND, RETRY_RATIO, RetryBudget } from './budget.js';

describe('RetryBudget', () => {
  it('allows 20 % of the window\'s requests plus 10, then refuses until the window moves on', () => {
    let now = 0;
    const budget = new RetryBudget(() => now);
    for (let i = 0; i < 100; i++) budget.deposit();
    let granted = 0;
    while (budget.tryWithdraw()) granted++;
    expect(granted).toBe(100 * RETRY_RATIO + MIN_RETRIES_PER_SECOND * 10);
    now += 5_000;
    expect(budget.tryWithdraw()).toBe(false);
    // Past the window the old requests and retries are forgotten; only the floor remains.
    now += 10_000;
    granted = 0;
    while (budget.tryWithdraw()) granted++;
    expect(granted).toBe(MIN_RETRIES_PER_SECOND * 10);
  });
});
