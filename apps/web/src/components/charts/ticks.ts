/** Round tick positions for the charts' axes, so a reader sees 13:15, 13:30 … and 90 %, 95 %, 100 %. */

const TIME_STEPS = [10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400];

/** Times (unix seconds) on round minutes or hours inside [start, end], about `count` of them. */
export function timeTicks(start: number, end: number, count = 5): number[] {
  const span = end - start;
  if (!(span > 0)) return [];
  const step = TIME_STEPS.find((s) => span / s <= count) ?? TIME_STEPS[TIME_STEPS.length - 1]!;
  // Align to the local clock: a 15-minute step lands on :00, :15, :30, :45 in the browser's time zone.
  const offset = new Date(start * 1000).getTimezoneOffset() * 60;
  const first = Math.ceil((start - offset) / step) * step + offset;
  const ticks: number[] = [];
  for (let t = first; t <= end; t += step) ticks.push(t);
  return ticks;
}

/** Success-rate ticks from a round floor under the lowest value up to 100 %: steps of 5 % (10 % on wide spans). */
export function successTicks(lowest: number | null): { domain: [number, number]; ticks: number[] } {
  const low = lowest === null || !Number.isFinite(lowest) ? 0.9 : Math.max(0, Math.min(lowest, 0.95));
  const step = low < 0.7 ? 0.1 : 0.05;
  const floor = Math.max(0, Math.floor(low / step - 1e-9) * step);
  const ticks: number[] = [];
  for (let t = floor; t < 1 + 1e-9; t += step) ticks.push(Math.round(t * 100) / 100);
  return { domain: [ticks[0] ?? 0, 1], ticks };
}

/** From 0 to a round top above `max` in 3 to 5 steps of 1, 2 or 5 × 10ⁿ; for rates and latencies. */
export function niceTicks(max: number | null): { domain: [number, number]; ticks: number[] } {
  if (max === null || !Number.isFinite(max) || max <= 0) return { domain: [0, 1], ticks: [0, 0.5, 1] };
  const magnitude = 10 ** Math.floor(Math.log10(max / 4));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => max / s <= 5) ?? 10 * magnitude;
  const top = Math.ceil(max / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let t = 0; t <= top + step / 2; t += step) ticks.push(Number(t.toPrecision(12)));
  return { domain: [0, ticks[ticks.length - 1] ?? top], ticks };
}
