import { parseDurationSeconds, parseInstant } from '@meshviz/mesh-types';
import { apiErrors } from '../errors.js';
import type { PrometheusClient, ScrapeInterval } from '../prometheus/client.js';

/** rate() needs several samples in its window to mean anything; four scrapes is the usual floor. */
export const MIN_SCRAPES_PER_WINDOW = 4;

/**
 * Refuses a window too short for the store's scrape interval, with a message that says the smallest one allowed.
 * When the store does not tell its interval (and API_SCRAPE_INTERVAL is not set), no window is refused: the
 * interval is only assumed, and a window too short for the real one shows as "no data", never as wrong numbers.
 */
export async function checkWindow(prom: PrometheusClient, window: string): Promise<ScrapeInterval> {
  const seconds = parseDurationSeconds(window) ?? 0;
  const scrape = await prom.scrapeInterval();
  const min = scrape.seconds * MIN_SCRAPES_PER_WINDOW;
  if (scrape.source !== 'assumed' && seconds < min) {
    throw apiErrors.badParam(
      'window',
      `must be at least ${min}s (${MIN_SCRAPES_PER_WINDOW} scrape intervals of ${scrape.seconds}s) so rates are meaningful`,
    );
  }
  return scrape;
}

/**
 * The one instant every query of a call is evaluated at: `at` when given, else now. Pinning it keeps the
 * numbers of one answer consistent (rates, success and quantiles from the same moment).
 */
export function evaluationTime(at: string | undefined): Date {
  return new Date(at === undefined ? Date.now() : (parseInstant(at) ?? Date.now()));
}
