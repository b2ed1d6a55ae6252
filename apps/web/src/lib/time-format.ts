/**
 * Times as the dashboard shows them, in the browser's time zone. Pure: no locale, so axis labels and tests agree.
 */

const pad = (n: number) => String(n).padStart(2, '0');

/** A clock time for axis ticks and tooltips: "13:05", with seconds ("13:05:09") for spans of 15 minutes or less. */
export function formatClock(unixSeconds: number, spanSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return spanSeconds <= 900 ? `${hm}:${pad(d.getSeconds())}` : hm;
}

/** An axis tick: "13:05", with seconds only when the tick is not on a whole minute. */
export function formatClockTick(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return d.getSeconds() === 0 ? hm : `${hm}:${pad(d.getSeconds())}`;
}

/** A date and time for people: "2025-01-31 13:05:09". */
export function formatDateTime(unixSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** The value of an <input type="datetime-local"> for epoch milliseconds: "2025-01-31T13:05". */
export function toDateTimeLocal(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Epoch milliseconds of a datetime-local value (local time), or NaN when it is not one. */
export function fromDateTimeLocal(value: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!match) return Number.NaN;
  const [, y, mo, d, h, mi, s = '0'] = match;
  return new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)).getTime();
}
