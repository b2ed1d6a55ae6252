import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startSteadySchedule } from './steady-schedule.js';

describe('startSteadySchedule', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it('fires rate times per second without drifting', () => {
    let fired = 0;
    const stop = startSteadySchedule(50, () => fired++, Date.now);
    expect(fired).toBe(1);
    vi.advanceTimersByTime(999);
    expect(fired).toBe(50);
    vi.advanceTimersByTime(9_000);
    expect(fired).toBe(500);
    stop();
    vi.advanceTimersByTime(1_000);
    expect(fired).toBe(500);
  });

  it('handles rates above the timer resolution', () => {
    let fired = 0;
    const stop = startSteadySchedule(3_000, () => fired++, Date.now);
    vi.advanceTimersByTime(1_999);
    stop();
    expect(fired).toBe(5_998);
  });

  it('sends at most one second of missed requests after a stall', () => {
    let fired = 0;
    let clock = 0;
    const stop = startSteadySchedule(10, () => fired++, () => clock);
    clock = 5_000;
    vi.advanceTimersByTime(100);
    stop();
    expect(fired).toBe(1 + 10);
  });
});
