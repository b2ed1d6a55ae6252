import { describe, expect, it } from 'vitest';
import { niceTicks, successTicks, timeTicks } from './ticks';

describe('timeTicks', () => {
  const local = (h: number, m: number) => new Date(2025, 0, 31, h, m).getTime() / 1000;

  it('lands on round local times inside the range', () => {
    const ticks = timeTicks(local(13, 2), local(14, 2));
    expect(ticks.map((t) => new Date(t * 1000).getMinutes())).toEqual([15, 30, 45, 0]);
    expect(ticks.every((t) => t >= local(13, 2) && t <= local(14, 2))).toBe(true);
  });

  it('picks a step to suit the span', () => {
    expect(timeTicks(local(13, 0), local(13, 5)).length).toBeGreaterThanOrEqual(3);
    const day = timeTicks(local(0, 30), local(0, 30) + 86_400);
    expect(day.length).toBeLessThanOrEqual(5);
    expect(new Date((day[0] ?? 0) * 1000).getMinutes()).toBe(0);
    expect(timeTicks(10, 10)).toEqual([]);
  });
});

describe('successTicks', () => {
  it('runs from a round floor to 100 % in 5 % steps', () => {
    expect(successTicks(0.9)).toEqual({ domain: [0.85, 1], ticks: [0.85, 0.9, 0.95, 1] });
    expect(successTicks(0.97)).toEqual({ domain: [0.9, 1], ticks: [0.9, 0.95, 1] });
    expect(successTicks(1)).toEqual({ domain: [0.9, 1], ticks: [0.9, 0.95, 1] });
  });

  it('uses 10 % steps for wide spans, and a default without data', () => {
    expect(successTicks(0.42).ticks).toEqual([0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(successTicks(0).domain).toEqual([0, 1]);
    expect(successTicks(null)).toEqual({ domain: [0.85, 1], ticks: [0.85, 0.9, 0.95, 1] });
  });
});

describe('niceTicks', () => {
  it('steps by 1, 2 or 5 times a power of ten up to a round top', () => {
    expect(niceTicks(379.4)).toEqual({ domain: [0, 400], ticks: [0, 100, 200, 300, 400] });
    expect(niceTicks(15)).toEqual({ domain: [0, 15], ticks: [0, 5, 10, 15] });
    expect(niceTicks(0.37).ticks).toEqual([0, 0.1, 0.2, 0.3, 0.4]);
    expect(niceTicks(20)).toEqual({ domain: [0, 20], ticks: [0, 5, 10, 15, 20] });
  });

  it('has a small default without data', () => {
    expect(niceTicks(null).domain).toEqual([0, 1]);
    expect(niceTicks(0).domain).toEqual([0, 1]);
  });
});
