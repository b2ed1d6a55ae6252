import type { ResponseCache } from '../plugins/response-cache.js';
import type { ScrapeInterval } from '../prometheus/client.js';
import { evaluationTime } from '../routes/window.js';
import type { LiveAnswers } from './live-answers.js';

/**
 * A call's answer: for the current instant (no `at`) the live answer of its key when `live` keeps one, else (an
 * explicit `at`, live answers off, or too many keys) computed for the call at `at` or now, through the response cache.
 */
export function sharedAnswer<T>(
  live: LiveAnswers | null,
  cache: ResponseCache,
  key: string,
  at: string | undefined,
  scrape: ScrapeInterval,
  compute: (at: Date) => Promise<T>,
): Promise<T> {
  const shared = at === undefined ? live?.get(key, scrape, compute) : undefined;
  return shared ?? cache.get(key, () => compute(evaluationTime(at)));
}
