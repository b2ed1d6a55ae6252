import { writeFile } from 'node:fs/promises';
import { buildApp } from '../app.js';
import { type SyntheticSeries, startSyntheticPrometheus } from './synthetic-prometheus.js';

/** Prometheus' configuration as the local runtime writes it: a 5 s scrape interval. */
export const LOCAL_RUNTIME_CONFIG = {
  status: 'success',
  data: { yaml: 'global:\n  scrape_interval: 5s\n  scrape_timeout: 5s\n  evaluation_interval: 5s\n' },
};

/**
 * Writes to `out` the answers a Prometheus holding `series` gives to the queries behind `calls`, in the format
 * record-fixtures.ts writes: constructed answers, for families no running mesh emits yet.
 */
export async function constructFixture(series: readonly SyntheticSeries[], calls: readonly string[], out: string): Promise<void> {
  const prom = await startSyntheticPrometheus(series, { '/api/v1/status/config': LOCAL_RUNTIME_CONFIG });
  const app = buildApp({ config: { prometheusUrl: prom.url, prometheusTimeoutMs: 10_000, logLevel: 'warn' } });
  await app.ready();
  for (const call of calls) {
    const res = await app.inject({ url: call });
    process.stdout.write(`${res.statusCode} ${call}\n`);
  }
  await app.close();
  await prom.close();
  const lines = Object.entries(prom.answered).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  await writeFile(out, `{\n${lines.join(',\n')}\n}\n`);
  process.stdout.write(`constructed ${lines.length} Prometheus answers in ${out}\n`);
}
