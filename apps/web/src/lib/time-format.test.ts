import { describe, expect, it } from 'vitest';
import { formatClock, formatClockTick, formatDateTime, fromDateTimeLocal, toDateTimeLocal } from './time-format';

// Local times, so the tests hold in any time zone.
const at = (y: number, mo: number, d: number, h: number, mi: number, s = 0) => new Date(y, mo - 1, d, h, mi, s).getTime();

describe('formatClock', () => {
  it('shows seconds only for short spans', () => {
    const t = at(2025, 1, 31, 13, 5, 9) / 1000;
    expect(formatClock(t, 300)).toBe('13:05:09');
    expect(formatClock(t, 900)).toBe('13:05:09');
    expect(formatClock(t, 3600)).toBe('13:05');
  });
});

describe('formatClockTick', () => {
  it('shows seconds only off the minute', () => {
    expect(formatClockTick(at(2025, 1, 31, 13, 5) / 1000)).toBe('13:05');
    expect(formatClockTick(at(2025, 1, 31, 13, 5, 30) / 1000)).toBe('13:05:30');
  });
});

describe('formatDateTime', () => {
  it('is year-month-day and a 24 h clock', () => {
    expect(formatDateTime(at(2025, 1, 2, 3, 4, 5) / 1000)).toBe('2025-01-02 03:04:05');
  });
});

describe('datetime-local values', () => {
  it('round-trip to the minute', () => {
    const ms = at(2025, 12, 24, 23, 59);
    expect(toDateTimeLocal(ms)).toBe('2025-12-24T23:59');
    expect(fromDateTimeLocal('2025-12-24T23:59')).toBe(ms);
    expect(fromDateTimeLocal('2025-12-24T23:59:30')).toBe(ms + 30_000);
  });

  it('rejects what is not one', () => {
    expect(fromDateTimeLocal('')).toBeNaN();
    expect(fromDateTimeLocal('yesterday')).toBeNaN();
  });
});
