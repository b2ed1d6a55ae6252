import { writeFile } from 'node:fs/promises';
import { LABEL, TARGET_LABEL } from '@meshviz/mesh-types';
import { edgeLatencyBuckets, statsGroupLabels, statsLatencyBuckets } from '@meshviz/promql';
import { median } from './report.js';

/**
 * What Prometheus itself spends, apart from the API: the evaluation time it reports for one query (`stats=all`,
 * evalTotalTime: finding the series, reading their samples, rate and sum; before any JSON is written), and the
 * evaluation time of a rule group that would precompute what the stats and topology endpoints read.
 */

interface QueryStats {
  data?: { stats?: { timings?: { evalTotalTime?: number } } };
}

/** Median evaluation time (ms) of `query` at `at`, asked alone `runs` times in a row. */
export async function evaluationMs(promUrl: string, query: string, at: number, runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const res = await fetch(`${promUrl}/api/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query, time: String(at), stats: 'all' }),
    });
    const seconds = ((await res.json()) as QueryStats).data?.stats?.timings?.evalTotalTime;
    if (!res.ok || seconds === undefined) throw new Error(`Prometheus gave no query stats for ${query} (HTTP ${res.status})`);
    times.push(seconds * 1000);
  }
  return median(times);
}

const WORKLOAD = statsGroupLabels({ groupBy: 'deployment' }).join(', ');
const CLIENT_SERVICE = [TARGET_LABEL.namespace, TARGET_LABEL.deployment, LABEL.dstNamespace, LABEL.dstService].join(', ');
const SERVICE_WORKLOAD = [LABEL.dstNamespace, LABEL.dstService, LABEL.dstDeployment].join(', ');

/**
 * The smallest rule group that would let stats and topology (window 1m) read precomputed quantiles instead of raw
 * buckets: one pass over the raw buckets per direction (the very queries the API sends over the whole mesh), then
 * p50/p95/p99 per workload and per hop of the graph.
 */
export function precomputeRules(intervalSeconds: number): { yaml: string; rules: number } {
  const quantiles = (level: string, by: string, from: string) =>
    [0.5, 0.95, 0.99].map(
      (q) =>
        `      - record: meshviz_${level}:response_latency_ms:quantile_rate1m\n` +
        `        expr: histogram_quantile(${q}, sum by (le, ${by}) (${from}))\n` +
        `        labels: { quantile: "${q}" }`,
    );
  const rules = [
    '      - record: meshviz_workload:response_latency_ms_bucket:rate1m\n' +
      `        expr: ${statsLatencyBuckets({ groupBy: 'deployment', namespace: null, window: '1m' })}`,
    '      - record: meshviz_edge:response_latency_ms_bucket:rate1m\n' +
      `        expr: ${edgeLatencyBuckets({ window: '1m', anyOf: [] })}`,
    ...quantiles('workload', WORKLOAD, 'meshviz_workload:response_latency_ms_bucket:rate1m'),
    ...quantiles('client_service', CLIENT_SERVICE, 'meshviz_edge:response_latency_ms_bucket:rate1m'),
    ...quantiles('service_workload', SERVICE_WORKLOAD, 'meshviz_edge:response_latency_ms_bucket:rate1m'),
  ];
  const head = ['groups:', '  - name: meshviz-precompute-1m', `    interval: ${intervalSeconds}s`, '    rules:'];
  return { yaml: `${[...head, ...rules].join('\n')}\n`, rules: rules.length };
}

interface RulesAnswer {
  data?: { groups?: Array<{ name: string; evaluationTime: number; rules: Array<{ health: string; lastError?: string }> }> };
}

/**
 * Loads the rule group into the running Prometheus (which must have been started with --web.enable-lifecycle and
 * `rule_files: [rulesFile]`), lets it evaluate `evaluations` times and returns the median time (ms) of one
 * evaluation of the whole group, as Prometheus reports it, and the number of rules in it.
 */
export async function ruleGroupMs(
  promUrl: string,
  rulesFile: string,
  intervalSeconds: number,
  evaluations: number,
): Promise<{ evaluationMs: number; rules: number }> {
  const { yaml, rules } = precomputeRules(intervalSeconds);
  await writeFile(rulesFile, yaml);
  const reload = await fetch(`${promUrl}/-/reload`, { method: 'POST' });
  if (!reload.ok) throw new Error(`Prometheus refused to reload its rules: HTTP ${reload.status}`);
  const times: number[] = [];
  // The first evaluation after a reload is left out: it pays for creating every recorded series.
  await new Promise((r) => setTimeout(r, intervalSeconds * 1500));
  for (let i = 0; i < evaluations; i++) {
    await new Promise((r) => setTimeout(r, intervalSeconds * 1000));
    const answer = (await fetch(`${promUrl}/api/v1/rules?type=record`).then((r) => r.json())) as RulesAnswer;
    const group = answer.data?.groups?.find((g) => g.name === 'meshviz-precompute-1m');
    if (!group) throw new Error('Prometheus did not load the precompute rule group');
    const broken = group.rules.find((r) => r.health === 'err');
    if (broken) throw new Error(`a precompute rule failed: ${broken.lastError ?? 'unknown error'}`);
    times.push(group.evaluationTime * 1000);
  }
  await writeFile(rulesFile, 'groups: []\n');
  await fetch(`${promUrl}/-/reload`, { method: 'POST' });
  return { evaluationMs: median(times), rules };
}
