import { describe, expect, it } from 'vitest';
import { type Clock, EventBatcher } from './event-batcher';

/** A clock the test moves by hand. */
function manualClock() {
  let now = 0;
  let nextId = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const clock: Clock = {
    now: () => now,
    setTimeout(fn, ms) {
      const id = ++nextId;
      timers.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
  };
  const advance = (ms: number) => {
    now += ms;
    for (const [id, timer] of [...timers].sort((a, b) => a[1].at - b[1].at)) {
      if (timer.at <= now) {
        timers.delete(id);
        timer.fn();
      }
    }
  };
  return { clock, advance, timers };
}

describe('EventBatcher', () => {
  it('hands over 1000 events a second in at most 10 batches, none lost, in order', () => {
    const { clock, advance } = manualClock();
    const batches: number[][] = [];
    const batcher = new EventBatcher<number>((items) => batches.push(items), 100, clock);
    for (let i = 0; i < 1000; i++) {
      batcher.push(i);
      advance(1);
    }
    advance(100);
    expect(batches.length).toBeLessThanOrEqual(11);
    expect(batches.length).toBeGreaterThanOrEqual(9);
    expect(batches.flat()).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('flushes the first event at once when idle, then waits out the interval', () => {
    const { clock, advance } = manualClock();
    const batches: string[][] = [];
    const batcher = new EventBatcher<string>((items) => batches.push(items), 100, clock);
    batcher.push('a');
    advance(0);
    expect(batches).toEqual([['a']]);
    batcher.push('b');
    batcher.push('c');
    advance(50);
    expect(batches).toEqual([['a']]);
    expect(batcher.pending).toBe(2);
    advance(50);
    expect(batches).toEqual([['a'], ['b', 'c']]);
  });

  it('flushes on demand and drops everything on dispose', () => {
    const { clock, advance, timers } = manualClock();
    const batches: string[][] = [];
    const batcher = new EventBatcher<string>((items) => batches.push(items), 100, clock);
    batcher.push('a');
    batcher.flush();
    expect(batches).toEqual([['a']]);
    batcher.push('b');
    batcher.dispose();
    advance(1000);
    expect(batches).toEqual([['a']]);
    expect(timers.size).toBe(0);
  });
});
