import { parseDurationSeconds } from '@meshviz/mesh-types';
import { apiErrors } from '../errors.js';
import type { PrometheusClient } from '../plugins/prometheus.js';

/** rate() needs several samples in its window to mean anything; four scrapes is the usual floor. */
export const MIN_SCRAPES_PER_WINDOW = 4;

/** Refuses a window too short for the store's scrape interval, with a message that says the smallest one allowed. */
export async function checkWindow(prom: PrometheusClient, window: string): Promise<void> {
  const seconds = parseDurationSeconds(window) ?? 0;
  const scrape = await prom.scrapeIntervalSeconds();
  const min = scrape * MIN_SCRAPES_PER_WINDOW;
  if (seconds < min) {
    throw apiErrors.badParam(
      'window',
      `must be at least ${min}s (${MIN_SCRAPES_PER_WINDOW} scrape intervals of ${scrape}s) so rates are meaningful`,
    );
  }
}
