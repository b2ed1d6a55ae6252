import type { Locator, Page } from 'playwright-core';

export interface FpsMeasurement {
  durationMs: number;
  frames: number;
  fps: number;
  /** Time between frames: median, 95th percentile and worst, in ms. */
  frameMs: { p50: number; p95: number; max: number };
  mouseMoves: number;
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/**
 * Drags the background of `canvas` with the mouse for `durationMs` (a smooth loop, as a user pans) while counting
 * requestAnimationFrame callbacks in the page. fps = frames / elapsed time between the first and last frame.
 */
export async function measurePanFps(page: Page, canvas: Locator, durationMs = 3_000): Promise<FpsMeasurement> {
  const box = await canvas.boundingBox();
  if (!box) throw new Error('the graph canvas is not on screen');
  // The fitted graph leaves its padding empty: a drag that starts there pans instead of moving a node.
  const start = { x: box.x + 8, y: box.y + 8 };

  await page.evaluate(() => {
    const state = { times: [] as number[], running: true };
    (window as unknown as { __fps: typeof state }).__fps = state;
    const tick = (t: number) => {
      state.times.push(t);
      if (state.running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });

  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  const began = Date.now();
  let moves = 0;
  while (Date.now() - began < durationMs) {
    const phase = ((Date.now() - began) / 1000) * Math.PI; // one loop every 2 s
    await page.mouse.move(start.x + 260 * (1 - Math.cos(phase)), start.y + 120 * Math.sin(phase));
    moves += 1;
  }
  await page.mouse.up();

  const times = await page.evaluate(() => {
    const state = (window as unknown as { __fps: { times: number[]; running: boolean } }).__fps;
    state.running = false;
    return state.times;
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
    mouseMoves: moves,
  };
}
