import type { QueryTiming } from './timed-prometheus.js';

export interface EndpointResult {
  endpoint: string;
  url: string;
  /** Milliseconds, over the measured runs. */
  p50: number;
  p95: number;
  /** p95 the issue asks for, if any. */
  target: number | null;
  queries: Array<{ query: string; medianMs: number; samples: number; evalMs?: number }>;
  responseBytes: number;
}

/** Prometheus' own share: the slowest query's evaluation alone, below which the endpoint cannot answer. */
export const floorMs = (r: EndpointResult): number | null => {
  const evals = r.queries.map((q) => q.evalMs).filter((v): v is number => v !== undefined);
  return evals.length === 0 ? null : Math.max(...evals);
};

/** A rule group that would precompute stats' and topology's latency, and what one evaluation of it costs. */
export interface PrecomputeCost {
  rules: number;
  intervalSeconds: number;
  evaluationMs: number;
}

export const quantile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;

export const median = (values: readonly number[]): number => quantile([...values].sort((a, b) => a - b), 0.5);

/** Median time and answer size of each distinct query over all runs of one endpoint. */
export function queryBreakdown(log: readonly QueryTiming[]): EndpointResult['queries'] {
  const by = new Map<string, { ms: number[]; samples: number }>();
  for (const t of log) {
    const e = by.get(t.query) ?? { ms: [], samples: t.samples };
    e.ms.push(t.ms);
    by.set(t.query, e);
  }
  return [...by].map(([query, e]) => ({
    query,
    medianMs: median(e.ms),
    samples: e.samples,
  }));
}

export interface BenchSetup {
  prometheus: string;
  workloads: number;
  namespaces: number;
  edges: number;
  series: number;
  scrapeSeconds: number;
  fillSeconds: number;
  runs: number;
  warmup: number;
  cores: number;
  loadAverage: number[];
}

export function renderMarkdown(setup: BenchSetup, results: readonly EndpointResult[], precompute?: PrecomputeCost): string {
  const met = (r: EndpointResult) => (r.target === null ? '—' : r.p95 <= r.target ? 'yes' : 'no');
  const ms = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(1));
  return [
    '# API benchmark',
    '',
    `Real Prometheus (${setup.prometheus}) scraping a synthetic mesh in the proxy's metric format every`,
    `${setup.scrapeSeconds} s for ${setup.fillSeconds} s: ${setup.workloads} workloads in ${setup.namespaces} namespaces, ${setup.edges} edges,`,
    `${setup.series} series. ${setup.runs} sequential requests per endpoint after ${setup.warmup} warm-up requests, each at a`,
    'different `at` so the response cache never answers. Times are measured around `app.inject()`: validation,',
    `every PromQL request, decoding, the topology pipeline and serialisation. Machine: ${setup.cores} cores shared by`,
    `Prometheus, the API and the synthetic exporter (load average at start: ${setup.loadAverage.map((l) => l.toFixed(2)).join(', ')}).`,
    '',
    '| endpoint | PromQL queries | p50 (ms) | p95 (ms) | target p95 (ms) | met | Prometheus floor (ms) |',
    '|---|---:|---:|---:|---:|---|---:|',
    ...results.map(
      (r) =>
        `| ${r.endpoint} | ${r.queries.length} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.target ?? '—'} | ${met(r)} | ${ms(floorMs(r))} |`,
    ),
    '',
    "Prometheus floor: the median evaluation time Prometheus reports (`stats=all`, evalTotalTime) for the endpoint's",
    'slowest query when it is asked alone, before any JSON is written or sent. The endpoint cannot answer sooner than',
    'that, whatever the API does.',
    '',
    ...(precompute
      ? [
          '## What precomputing would cost',
          '',
          `A rule group of ${precompute.rules} recording rules that would let stats and topology (window 1m) read precomputed`,
          'p50/p95/p99 instead of raw buckets (one pass over the raw buckets per direction, then the quantiles per',
          `workload and per hop of the graph; \`precomputeRules\` in apps/api/bench/prometheus-cost.ts), evaluated every ${precompute.intervalSeconds} s`,
          `in the same Prometheus: ${precompute.evaluationMs.toFixed(0)} ms per evaluation (median), that is`,
          `${((100 * precompute.evaluationMs) / (precompute.intervalSeconds * 1000)).toFixed(0)} % of one core all the time, whether anyone looks or not, and only for that one window.`,
          '',
        ]
      : []),
    '## Where the time goes',
    '',
    'Median time of each PromQL request (sent, evaluated by Prometheus, answered and decoded by the API) and the',
    "samples in its answer. An endpoint's requests run in parallel, except the workload detail's second round,",
    'which needs the first round\'s answer.',
    '',
    ...results.flatMap((r) => [
      `### ${r.endpoint}: \`${r.url}\``,
      '',
      '| median (ms) | Prometheus evaluation alone (ms) | samples | query |',
      '|---:|---:|---:|---|',
      ...r.queries.map(
        (q) => `| ${q.medianMs.toFixed(1)} | ${ms(q.evalMs)} | ${q.samples} | \`${q.query.replaceAll('|', '\\|')}\` |`,
      ),
      '',
    ]),
    'Command: `npm run build && npm run bench -w @meshviz/api` (Prometheus from PATH or PROMETHEUS_BIN).',
    '',
  ].join('\n');
}
