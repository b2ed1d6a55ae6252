import { afterAll, beforeAll } from 'vitest';
import { type AppConfig, buildApp } from '../app.js';
import { type RecordedOptions, recordedPrometheus } from './recorded-prometheus.js';

type Recorded = Awaited<ReturnType<typeof recordedPrometheus>>;

/**
 * For the tests of one describe block: a recorded Prometheus answering from fixtures/<fixture> (started before
 * them, closed after), and API instances over it.
 */
export function recordedApi(fixture: string, options: RecordedOptions = {}) {
  let prom: Recorded | undefined;
  beforeAll(async () => {
    prom = await recordedPrometheus(new URL(`./fixtures/${fixture}`, import.meta.url), options);
  });
  afterAll(() => prom?.close());
  const started = (): Recorded => {
    if (!prom) throw new Error('recordedApi() serves the tests of the describe block it is called in');
    return prom;
  };
  return {
    prom: started,
    app: (config: Partial<AppConfig> = {}) =>
      buildApp({ config: { prometheusUrl: started().url, prometheusTimeoutMs: 2000, logLevel: 'silent', ...config } }),
  };
}
