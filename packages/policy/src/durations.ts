/**
 * Durations as the Gateway API writes them (GEP-2257): one to four parts of up to five digits, each with a unit of
 * `h`, `m`, `s` or `ms` (`10s`, `500ms`, `1m30s`). Route `timeouts` and the outbound annotations use the same form,
 * so one parser serves both. A zero duration (`0s`) means "no timeout", as the Gateway API says.
 */
const GATEWAY_DURATION = /^([0-9]{1,5}(h|m|s|ms)){1,4}$/;
const PART = /(\d+)(ms|h|m|s)/g;
const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 };

export const DURATION_HINT = 'a duration such as 500ms, 10s or 1m30s (0s for none)';

/** Milliseconds, or undefined when `text` is not a Gateway API duration. */
export function parseGatewayDuration(text: string): number | undefined {
  if (!GATEWAY_DURATION.test(text)) return undefined;
  let ms = 0;
  for (const [, digits, unit] of text.matchAll(PART)) ms += Number(digits) * UNIT_MS[unit as string]!;
  return ms;
}

/** A timeout in the contract's form: milliseconds, or null for none (`0s`). */
export function timeoutMs(ms: number): number | null {
  return ms === 0 ? null : ms;
}
