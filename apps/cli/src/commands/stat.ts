import { StatsResponse } from '@meshviz/mesh-types';
import { getJson } from '../api-client.js';
import { fmtMs, fmtPercent, fmtRps, renderTable } from '../table.js';
import { COMMON_HELP, parseCommon, query } from './common.js';

const HELP = `Usage: meshviz stat [kind] [options]

Golden metrics (success rate, RPS, latency percentiles) per resource. kind: deployment (default), pod, namespace, …
${COMMON_HELP}`;

export async function runStat(argv: string[]): Promise<number> {
  const { common, values, positionals } = parseCommon(argv);
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const kind = positionals[0] ?? 'deployment';
  const stats = await getJson(
    common.api,
    `/api/v1/stats${query({ kind, namespace: common.namespace, window: common.window })}`,
    StatsResponse,
  );
  if (common.output === 'json') {
    process.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
    return 0;
  }
  if (stats.rows.length === 0) {
    process.stdout.write(`no ${kind} resources found in ${common.namespace === 'all' ? 'any namespace' : common.namespace}\n`);
    return 0;
  }
  const rows = stats.rows.map((r) => [
    r.namespace,
    r.name,
    String(r.meshedPods),
    r.rps === null ? 'no traffic' : fmtPercent(r.successRate),
    fmtRps(r.rps),
    fmtMs(r.latencyMs.p50),
    fmtMs(r.latencyMs.p95),
    fmtMs(r.latencyMs.p99),
  ]);
  const headers = ['NAMESPACE', kind.toUpperCase(), 'MESHED', 'SUCCESS', 'RPS', 'P50', 'P95', 'P99'];
  process.stdout.write(`${renderTable(headers, rows, new Set([2, 3, 4, 5, 6, 7]))}\n`);
  return 0;
}
