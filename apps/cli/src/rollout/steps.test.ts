import { describe, expect, it } from 'vitest';
import { canaryPercent, DEFAULT_STEPS, parseSteps, stepsAhead, weightsAt } from './steps.js';
import { formatDurationMs, parseDurationMs, parseShare } from './units.js';

describe('the step plan', () => {
  it('reads rising whole percentages that end at 100', () => {
    expect(parseSteps('5,10,25,50,100')).toEqual([...DEFAULT_STEPS]);
    expect(parseSteps('50, 100')).toEqual([50, 100]);
    expect(parseSteps('100')).toEqual([100]);
  });

  it.each([
    ['5,10,x,100', /"x" is not a whole percentage/],
    ['5,10.5,100', /"10.5" is not a whole percentage/],
    ['0,50,100', /0 is not between 1 and 100/],
    ['5,150', /150 is not between 1 and 100/],
    ['10,5,100', /steps must rise: 5 comes after 10/],
    ['10,10,100', /steps must rise: 10 comes after 10/],
    ['5,10,50', /the last step must be 100/],
    ['', /"" is not a whole percentage/],
  ])('refuses %j', (text, message) => {
    expect(() => parseSteps(text)).toThrow(message);
  });

  it('skips the steps at or below the share the canary already has', () => {
    expect(stepsAhead(DEFAULT_STEPS, 0)).toEqual([
      { index: 1, percent: 5 },
      { index: 2, percent: 10 },
      { index: 3, percent: 25 },
      { index: 4, percent: 50 },
      { index: 5, percent: 100 },
    ]);
    expect(stepsAhead(DEFAULT_STEPS, 10)).toEqual([
      { index: 3, percent: 25 },
      { index: 4, percent: 50 },
      { index: 5, percent: 100 },
    ]);
    expect(stepsAhead(DEFAULT_STEPS, 12.5)).toEqual([
      { index: 3, percent: 25 },
      { index: 4, percent: 50 },
      { index: 5, percent: 100 },
    ]);
    expect(stepsAhead(DEFAULT_STEPS, 100)).toEqual([]);
  });

  it('gives the weights of a share and the share of any weights', () => {
    expect(weightsAt(25)).toEqual({ stable: 75, canary: 25 });
    expect(weightsAt(100)).toEqual({ stable: 0, canary: 100 });
    expect(canaryPercent({ stable: 90, canary: 10 })).toBe(10);
    expect(canaryPercent({ stable: 3, canary: 1 })).toBe(25);
    expect(canaryPercent({ stable: 0, canary: 0 })).toBe(0);
  });
});

describe('flag units', () => {
  it.each([
    ['50ms', 50],
    ['30s', 30_000],
    ['1.5s', 1_500],
    ['1m30s', 90_000],
    ['2h', 7_200_000],
  ])('reads the duration %s', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  it.each([['30'], ['30 s'], ['s'], [''], ['1d'], ['-5s']])('refuses the duration %j', (text) => {
    expect(() => parseDurationMs(text)).toThrow('must be a duration such as 50ms, 30s, 1m or 1m30s');
  });

  it('refuses a zero duration', () => {
    expect(() => parseDurationMs('0ms')).toThrow('must be longer than 0');
  });

  it('prints a duration in its largest whole unit', () => {
    expect([formatDurationMs(50), formatDurationMs(30_000), formatDurationMs(120_000), formatDurationMs(1_500)]).toEqual(['50ms', '30s', '2m', '1500ms']);
  });

  it('reads a share as a fraction or a percentage', () => {
    expect(parseShare('0.99')).toBe(0.99);
    expect(parseShare('99.5%')).toBeCloseTo(0.995);
    expect(parseShare('1')).toBe(1);
    expect(() => parseShare('1.2')).toThrow('must be at most 1');
    expect(() => parseShare('120%')).toThrow('must be at most 1');
    expect(() => parseShare('high')).toThrow('must be a fraction such as 0.99 or a percentage such as 99%');
  });
});
