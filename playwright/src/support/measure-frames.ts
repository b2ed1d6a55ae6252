import type { Page } from 'playwright-core';

export interface FrameMeasurement {
  durationMs: number;
  frames: number;
  fps: number;
  /** Time between frames: median, 95th percentile and worst, in ms. */
  frameMs: { p50: number; p95: number; max: number };
  /** Main-thread tasks over 50 ms (the browser's own "long task" measure): how many, and their total. */
  longTasks: { count: number; totalMs: number };
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/**
 * Counts requestAnimationFrame callbacks and long tasks in the page while `during` runs (whatever the test does
 * meanwhile: scrolling, waiting for a stream). fps = frames / time between the first and the last frame.
 */
export async function measureFrames(page: Page, during: () => Promise<void>): Promise<FrameMeasurement> {
  await page.evaluate(() => {
    const state = { times: [] as number[], running: true, longTasks: [] as number[] };
    (window as unknown as { __frames: typeof state }).__frames = state;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) state.longTasks.push(entry.duration);
    }).observe({ type: 'longtask' });
    const tick = (t: number) => {
      state.times.push(t);
      if (state.running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await during();
  const { times, longTasks } = await page.evaluate(() => {
    const state = (window as unknown as { __frames: { times: number[]; running: boolean; longTasks: number[] } }).__frames;
    state.running = false;
    return { times: state.times, longTasks: state.longTasks };
  });
  const intervals = times.slice(1).map((t, i) => t - times[i]!);
  const sorted = [...intervals].sort((a, b) => a - b);
  const elapsed = (times.at(-1) ?? 0) - (times[0] ?? 0);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    durationMs: Math.round(elapsed),
    frames: intervals.length,
    fps: round(elapsed > 0 ? (intervals.length / elapsed) * 1000 : 0),
    frameMs: { p50: round(quantile(sorted, 0.5)), p95: round(quantile(sorted, 0.95)), max: round(sorted.at(-1) ?? Number.NaN) },
    longTasks: { count: longTasks.length, totalMs: round(longTasks.reduce((a, b) => a + b, 0)) },
  };
}
