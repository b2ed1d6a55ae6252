import { describe, expect, it } from 'vitest';
import { WallClock } from './wall-clock.js';

describe('WallClock', () => {
  it('places monotonic moments on the wall clock measured now, not at process start', () => {
    let mono = 5_000.25;
    const wall = 1_800_000_000_000;
    const clock = new WallClock(() => mono, () => wall + Math.floor(mono - 5_000));
    expect(clock.at(4_990.25)).toBe(wall - 10);
    mono = 5_400.75;
    // Same offset within a check interval: spacing is exactly the monotonic spacing, fractions kept.
    expect(clock.at(5_400.75) - clock.at(4_990.25)).toBe(410.5);
  });

  it('keeps its offset through Date.now()’s millisecond steps and follows a real step of the wall clock', () => {
    let mono = 0;
    let wallOffset = 1_700_000_000_000;
    const clock = new WallClock(() => mono, () => Math.floor(wallOffset + mono), 1_000, 10);
    const first = clock.at(0);
    mono = 1_500.6; // checked again: Date.now() rounds down by 0.6 ms, within the step, so nothing moves
    expect(clock.at(1_500.6) - first).toBeCloseTo(1_500.6, 3);
    wallOffset += 35; // the host's clock was set 35 ms forward
    mono = 3_000;
    expect(clock.at(3_000)).toBe(1_700_000_000_000 + 35 + 3_000);
  });
});
