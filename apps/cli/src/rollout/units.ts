/** One term of a duration: a number and its unit. */
const TERM = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A duration such as `50ms`, `30s`, `1m30s` or `1.5s`, in milliseconds. Throws, saying what a duration looks like,
 * when `text` is not one or is not positive.
 */
export function parseDurationMs(text: string): number {
  let total = 0;
  let seen = '';
  for (const [whole, amount, unit] of text.matchAll(TERM)) {
    total += Number(amount) * (UNIT_MS[unit ?? ''] ?? Number.NaN);
    seen += whole;
  }
  if (text === '' || seen !== text || !Number.isFinite(total)) throw new Error('must be a duration such as 50ms, 30s, 1m or 1m30s');
  if (total <= 0) throw new Error('must be longer than 0');
  return total;
}

/** A share such as `0.99` or `99%`, as a fraction 0..1. */
export function parseShare(text: string): number {
  const percent = text.endsWith('%');
  const number = percent ? text.slice(0, -1) : text;
  if (!/^\d+(?:\.\d+)?$/.test(number)) throw new Error('must be a fraction such as 0.99 or a percentage such as 99%');
  const share = Number(number) / (percent ? 100 : 1);
  if (share > 1) throw new Error('must be at most 1 (100%)');
  return share;
}

/** How a duration in milliseconds is printed back: the largest whole unit that fits. */
export function formatDurationMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
