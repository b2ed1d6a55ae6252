#!/usr/bin/env node
/**
 * Records the answers of a real Prometheus to the queries of one API call, for the route tests.
 * Usage: node dist/testing/record-fixtures.js <prometheus-url> <out.json> [namespace] [window]
 */
import { writeFile } from 'node:fs/promises';
import { STATUS_CONFIG_KEY } from './recorded-prometheus.js';
import { statsLatencyQuantile, statsMeshedPods, statsRps, statsSuccessRps } from '@meshviz/promql';

const [url, out, namespace = 'all', window = '1m'] = process.argv.slice(2);
if (!url || !out) {
  process.stderr.write('usage: record-fixtures <prometheus-url> <out.json> [namespace] [window]\n');
  process.exit(2);
}
const scope = { groupBy: 'deployment', namespace: namespace === 'all' ? null : namespace, window } as const;
const queries = [
  statsMeshedPods(scope),
  statsRps(scope),
  statsSuccessRps(scope),
  statsLatencyQuantile(scope, 0.5),
  statsLatencyQuantile(scope, 0.95),
  statsLatencyQuantile(scope, 0.99),
];
const recorded: Record<string, unknown> = {};
for (const q of queries) {
  const res = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: q })}`);
  recorded[q] = await res.json();
}
recorded[STATUS_CONFIG_KEY] = await (await fetch(`${url}${STATUS_CONFIG_KEY}`)).json();
await writeFile(out, `${JSON.stringify(recorded, null, 2)}\n`);
process.stdout.write(`recorded ${queries.length} queries to ${out}\n`);
