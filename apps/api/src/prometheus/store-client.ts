import type { FastifyBaseLogger } from 'fastify';
import type { PrometheusClient } from './client.js';
import { overRecordedRates } from './recorded-sums.js';
import { type QueryTiming, timedPrometheus } from './timed.js';

/**
 * The client the API's answers read the store through, built the same way on the main thread and in the answer
 * worker: the recorded sums for `windows` where configured, and every query told to `onTiming` when given.
 */
export function storeClient(
  inner: PrometheusClient,
  windows: readonly string[],
  log: FastifyBaseLogger,
  onTiming?: (t: QueryTiming) => void,
): PrometheusClient {
  const recorded = overRecordedRates(inner, windows, log);
  return onTiming ? timedPrometheus(recorded, onTiming) : recorded;
}
