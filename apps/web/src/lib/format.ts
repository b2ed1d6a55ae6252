/**
 * Formatting of the numbers the dashboard shows. Pure functions: no locale, no React.
 * Null means "no data in the window" and is never shown as 0.
 */

/** What a cell shows for null ("no data"). Screen readers get a label instead (see MetricValue). */
export const NO_DATA = '—';
/** What the RPS cell shows when no response was seen in the window (rps === null). */
export const NO_TRAFFIC = 'no traffic';

interface Tier {
  unit: string;
  /** Multiplier from milliseconds to this unit. */
  scale: number;
  /** Fraction digits by magnitude: below 10, below 100, and above. */
  digits: readonly [number, number, number];
  /** Values that round to this or more move to the next tier. */
  limit: number;
}

const LATENCY_TIERS: readonly Tier[] = [
  { unit: 'µs', scale: 1000, digits: [1, 0, 0], limit: 1000 },
  { unit: 'ms', scale: 1, digits: [2, 1, 1], limit: 1000 },
  { unit: 's', scale: 1 / 1000, digits: [2, 2, 1], limit: Number.POSITIVE_INFINITY },
];

function fractionDigits(value: number, digits: Tier['digits']): number {
  if (value < 10) return digits[0];
  if (value < 100) return digits[1];
  return digits[2];
}

/**
 * A latency in milliseconds with a unit: µs below 1 ms, ms below 1 s, then s.
 * Never rounded to whole milliseconds: 1.234 → "1.23 ms", 0.25 → "250 µs", 1234 → "1.23 s".
 */
export function formatLatencyMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return NO_DATA;
  for (const tier of LATENCY_TIERS) {
    const value = ms * tier.scale;
    let text = value.toFixed(fractionDigits(value, tier.digits));
    // 9.996 rounds to "10.00": use the digits of the magnitude it rounded to ("10.0").
    text = value.toFixed(fractionDigits(Number(text), tier.digits));
    // Decide on the rounded value so 999.96 µs reads "1.00 ms", not "1000 µs".
    if (Number(text) < tier.limit) return `${trimTrailingZeros(text, tier)} ${tier.unit}`;
  }
  return NO_DATA;
}

/** µs values carry no trailing ".0"; ms and s keep their fixed digits so columns read evenly. */
function trimTrailingZeros(text: string, tier: Tier): string {
  return tier.unit === 'µs' ? text.replace(/\.0$/, '') : text;
}

/**
 * A success rate 0..1 as a percentage with two decimals. Rounding never claims perfection or total failure:
 * anything below 1 shows at most 99.99%, anything above 0 at least 0.01%.
 */
export function formatSuccessRate(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return NO_DATA;
  const clamped = Math.min(1, Math.max(0, rate));
  let percent = clamped * 100;
  if (clamped < 1) percent = Math.min(percent, 99.99);
  if (clamped > 0) percent = Math.max(percent, 0.01);
  if (clamped > 0 && clamped < 1) percent = Math.round(percent * 100) / 100;
  return `${percent.toFixed(2)}%`;
}

/** Responses per second: three decimals below 1 rps, two below 100, one above; null is "no traffic". */
export function formatRps(rps: number | null): string {
  if (rps === null) return NO_TRAFFIC;
  if (!Number.isFinite(rps) || rps < 0) return NO_DATA;
  if (rps === 0) return '0';
  if (rps < 1) return rps < 0.001 ? '<0.001' : rps.toFixed(3);
  if (rps < 100) return rps.toFixed(2);
  return rps.toFixed(1);
}

/** How healthy a success rate looks, for colour; the number itself is always shown too. */
export type SuccessLevel = 'good' | 'warn' | 'bad' | 'none';

export function successLevel(rate: number | null): SuccessLevel {
  if (rate === null || !Number.isFinite(rate)) return 'none';
  if (rate >= 0.99) return 'good';
  if (rate >= 0.95) return 'warn';
  return 'bad';
}

/** Responses per second with its unit, for labels and tooltips: "12.35 rps"; null stays "no traffic". */
export function formatRpsWithUnit(rps: number | null): string {
  const text = formatRps(rps);
  return rps === null || text === NO_DATA ? text : `${text} rps`;
}

/** A 0..1 share for axis ticks and badges: whole percent when it is one, else up to two decimals. */
export function formatPercentTick(share: number): string {
  if (!Number.isFinite(share)) return NO_DATA;
  const percent = Math.round(share * 10_000) / 100;
  return `${Number.isInteger(percent) ? percent.toFixed(0) : String(percent)}%`;
}

/** Drops zeros after the decimal point that only pad: "100.0 ms" → "100 ms", "2.50 ms" → "2.5 ms". */
function trimZeros(text: string): string {
  return text.replace(/(\.\d*?)0+(?=\D|$)/, '$1').replace(/\.(?=\D|$)/, '');
}

/** A latency for axis ticks: round values read round ("100 ms", "1.5 s"), and the origin is a plain "0". */
export function formatLatencyTick(ms: number): string {
  return ms === 0 ? '0' : trimZeros(formatLatencyMs(ms));
}

/** A rate for axis ticks: "16", "2.5", "0.25". */
export function formatRpsTick(rps: number): string {
  return trimZeros(formatRps(rps));
}

/** What the route table calls a route: "" is the traffic no route matched. */
export const UNMATCHED_ROUTE = '[unmatched]';

export function formatRouteName(route: string): string {
  return route === '' ? UNMATCHED_ROUTE : route;
}

/** A short age in seconds: "0.9 s", "12 s", "3 min 4 s", "2 h 5 min"; null is "no data". */
export function formatAgeSeconds(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return NO_DATA;
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${whole % 60} s`;
  return `${Math.floor(whole / 3600)} h ${Math.floor((whole % 3600) / 60)} min`;
}

/** A whole count with thousands separated: 10000 → "10,000". */
export function formatCount(count: number): string {
  if (!Number.isFinite(count)) return NO_DATA;
  return Math.round(count)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
