import { PrometheusDriver } from 'prometheus-query';
import { apiErrors } from '../errors.js';

/** One sample of an instant vector with its labels; `value` may be NaN (e.g. 0/0), which callers turn into null. */
export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export interface PrometheusClient {
  instant(query: string, at?: Date): Promise<Sample[]>;
}

interface DriverError {
  errorType?: string;
  error?: string;
}

/** Wraps prometheus-query so the rest of the API sees plain samples and catalogued errors. */
export function createPrometheusClient(url: string, timeoutMs: number): PrometheusClient {
  const driver = new PrometheusDriver({ endpoint: url, baseURL: '/api/v1', timeout: timeoutMs });
  return {
    async instant(query, at) {
      try {
        const result = await driver.instantQuery(query, at);
        return (result.result as Array<{ metric: { labels: Record<string, string> }; value: { value: number } }>).map(
          (s) => ({ labels: s.metric.labels, value: Number(s.value.value) }),
        );
      } catch (err) {
        const e = err as DriverError;
        const detail = new Error(`prometheus query failed (${e.errorType ?? 'unknown'}): ${e.error ?? String(err)}`, {
          cause: { query },
        });
        if (e.errorType === 'network_error' || e.errorType === 'timeout_error') throw apiErrors.prometheusUnavailable(detail);
        throw apiErrors.prometheusError(detail);
      }
    },
  };
}
