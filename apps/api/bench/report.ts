import type { QueryTiming } from '../src/prometheus/timed.js';

export interface EndpointResult {
  endpoint: string;
  url: string;
  /** Milliseconds, over the measured runs. */
  p50: number;
  p95: number;
  /** p95 the issue asks for, if any. */
  target: number | null;
  /**
   * Calls without `at`, served by the live answer the API refreshes once per scrape interval: their latency, how
   * many refreshes ran while they were measured, the cores the store used meanwhile (refreshes and scrapes) and
   * its resident memory after, and the longest delay of the API's event loop meanwhile.
   */
  live?: {
    p50: number;
    p95: number;
    calls: number;
    seconds: number;
    refreshes: number;
    storeCores: number;
    storeRssMb: number;
    loopMaxMs: number;
    /** Share of the time the API's event loop was running code (eventLoopUtilization), calls and refreshes. */
    loopBusy: number;
    /** Peak resident memory of the API's process (main thread and answer worker) meanwhile. */
    apiRssMb: number;
  };
  queries: Array<{ query: string; medianMs: number; samples: number; evalMs?: number }>;
  responseBytes: number;
  /** Cores the store used on average while this endpoint was measured, and its resident memory after. */
  storeCores: number;
  storeRssMb: number;
  /** Peak resident memory of the API's process (main thread and answer worker) over this endpoint's runs. */
  apiRssMb: number;
  loadAverage: number[];
}

/** One store read one way over one mesh. */
export interface Phase {
  store: string;
  version: string;
  reading: 'raw' | 'recorded';
  series: number;
  /** The store's use while it only scraped (and evaluated the rule group, when loaded). */
  idle: { cores: number; rssMb: number };
  /** evaluationMs null: no evaluation of the group had finished when it was read. */
  rules?: { evaluationMs: number | null; intervalSeconds: number; count: number };
  endpoints: EndpointResult[];
}

export interface SizeResult {
  workloads: number;
  namespaces: number;
  edges: number;
  runs: number;
  phases: Phase[];
}

export interface BenchSetup {
  /** When and on which code it ran: ISO date and `revisionText()`. */
  date: string;
  revision: string;
  scrapeSeconds: number;
  fillSeconds: number;
  /** Per mesh size: untimed requests per endpoint first, and evaluations of each query alone. */
  warmup: Array<{ workloads: number; warmup: number; evalRuns: number }>;
  idleSeconds: number;
  cores: number;
  loadAtStart: number[];
  loadAtEnd: number[];
  /** Stores not installed, so not measured. */
  missing: string[];
  /** The BENCH_* settings of the run, as a command prefix. */
  settings: string;
  /** Mesh sizes at which Prometheus was also read through the recorded sums. */
  recorded: number[];
}

const warmupText = (setup: BenchSetup): string => setup.warmup.map((w) => `${w.warmup} (at ${w.workloads} workloads)`).join(' or ');

/** Prometheus' own share: the slowest query's evaluation alone, below which the endpoint cannot answer. */
export const floorMs = (r: EndpointResult): number | null => {
  const evals = r.queries.map((q) => q.evalMs).filter((v): v is number => v !== undefined);
  return evals.length === 0 ? null : Math.max(...evals);
};

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
  return [...by].map(([query, e]) => ({ query, medianMs: median(e.ms), samples: e.samples }));
}

const liveText = (s: SizeResult): string => {
  const l = s.phases[0]?.endpoints.find((e) => e.live)?.live;
  return l ? `${((1000 * l.seconds) / Math.max(1, l.calls)).toFixed(0)} ms or so, for ${l.seconds} s per endpoint` : 'few hundred ms';
};
const ms = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? '—' : v.toFixed(1));
const label = (p: Phase) => `${p.store}${p.reading === 'recorded' ? ' + recorded sums' : ''}`;
const met = (r: EndpointResult) => (r.target === null ? '—' : r.p95 <= r.target ? 'yes' : 'no');
const loadText = (l: readonly number[]) => l.map((v) => v.toFixed(2)).join(', ');

function summary(size: SizeResult): string[] {
  const header = size.phases.map((p) => `${label(p)} p50 / p95 (ms)`);
  return [
    `| endpoint | target p95 (ms) | ${header.join(' | ')} | met by |`,
    `|---|---:|${size.phases.map(() => '---:').join('|')}|---|`,
    ...size.phases[0]!.endpoints.map((e, i) => {
      const cells = size.phases.map((p) => {
        const r = p.endpoints[i]!;
        return `${ms(r.p50)} / ${ms(r.p95)}`;
      });
      const metBy = size.phases.filter((p) => met(p.endpoints[i]!) === 'yes').map(label);
      return `| ${e.endpoint} | ${e.target ?? '—'} | ${cells.join(' | ')} | ${e.target === null ? '—' : metBy.join(', ') || 'none'} |`;
    }),
  ];
}

const liveMet = (r: EndpointResult) => (r.target === null || !r.live ? '—' : r.live.p95 <= r.target ? 'yes' : 'no');

/** Calls without `at` (the dashboard's and the CLI's), served by live answers; beside them the store's CPU. */
function liveSummary(size: SizeResult): string[] {
  const rows = size.phases[0]!.endpoints.flatMap((e, i) => (e.live ? [{ e, i }] : []));
  if (rows.length === 0) return [];
  return [
    `| endpoint | target p95 (ms) | ${size.phases.map((p) => `${label(p)}: p50 / p95 (ms) | API event loop: busy share / longest delay (ms) | API peak RSS (MB) | refreshes | store cores refreshing (idle) | store RSS refreshing (idle, MB)`).join(' | ')} | met by |`,
    `|---|---:|${size.phases.map(() => '---:|---:|---:|---:|---:|---:').join('|')}|---|`,
    ...rows.map(({ e, i }) => {
      const cells = size.phases.map((p) => {
        const l = p.endpoints[i]?.live;
        return l
          ? `${ms(l.p50)} / ${ms(l.p95)} | ${(100 * l.loopBusy).toFixed(0)} % / ${l.loopMaxMs.toFixed(0)} | ${l.apiRssMb.toFixed(0)} | ${l.refreshes} in ${l.seconds} s | ${l.storeCores.toFixed(2)} (${p.idle.cores.toFixed(2)}) | ${l.storeRssMb.toFixed(0)} (${p.idle.rssMb.toFixed(0)})`
          : '— | — | — | — | — | —';
      });
      const metBy = size.phases.filter((p) => liveMet(p.endpoints[i]!) === 'yes').map(label);
      return `| ${e.endpoint} | ${e.target ?? '—'} | ${cells.join(' | ')} | ${e.target === null ? '—' : metBy.join(', ') || 'none'} |`;
    }),
  ];
}

function costs(size: SizeResult): string[] {
  return [
    '| store | series | idle: cores | idle: RSS (MB) | rule group per evaluation (ms) | rule group: share of a core | serving topology (all): cores | RSS after (MB) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...size.phases.map((p) => {
      const topo = p.endpoints.find((e) => e.endpoint === 'topology (all namespaces)');
      const rules = !p.rules
        ? '— | —'
        : p.rules.evaluationMs === null
          ? 'none finished in the time read | more than one interval per evaluation'
          : `${p.rules.evaluationMs.toFixed(0)} | ${((100 * p.rules.evaluationMs) / (p.rules.intervalSeconds * 1000)).toFixed(0)} %`;
      return `| ${label(p)} ${p.version} | ${p.series} | ${p.idle.cores.toFixed(2)} | ${p.idle.rssMb.toFixed(0)} | ${rules} | ${topo ? topo.storeCores.toFixed(2) : '—'} | ${topo ? topo.storeRssMb.toFixed(0) : '—'} |`;
    }),
  ];
}

function growth(small: SizeResult, large: SizeResult): string[] {
  const phases = large.phases.filter((p) => small.phases.some((q) => label(q) === label(p)));
  const ratio = (after: number | undefined, before: number | undefined) => (after === undefined || before === undefined ? '—' : `${(after / before).toFixed(1)}`);
  return [
    `| endpoint | ${phases.map((p) => `${label(p)}: one computation p50 × | without \`at\` p50 ×`).join(' | ')} |`,
    `|---|${phases.map(() => '---:|---:').join('|')}|`,
    ...large.phases[0]!.endpoints.map((e, i) => {
      const cells = phases.map((p) => {
        const before = small.phases.find((q) => label(q) === label(p))!.endpoints[i]!;
        const after = p.endpoints[i]!;
        return `${ratio(after.p50, before.p50)} | ${ratio(after.live?.p50, before.live?.p50)}`;
      });
      return `| ${e.endpoint} | ${cells.join(' | ')} |`;
    }),
  ];
}

function breakdown(size: SizeResult, p: Phase): string[] {
  return p.endpoints.flatMap((r) => [
    `#### ${r.endpoint}: \`${r.url}\` (${size.workloads} workloads, ${label(p)})`,
    '',
    `${r.queries.length} PromQL queries; answer ${(r.responseBytes / 1024).toFixed(0)} KiB; API process peak RSS ${r.apiRssMb.toFixed(0)} MB; load average when it began: ${loadText(r.loadAverage)}.`,
    '',
    '| median (ms) | evaluation alone (ms) | samples | query |',
    '|---:|---:|---:|---|',
    ...r.queries.map((q) => `| ${q.medianMs.toFixed(1)} | ${ms(q.evalMs)} | ${q.samples} | \`${q.query.replaceAll('|', '\\|')}\` |`),
    '',
  ]);
}

export function renderMarkdown(setup: BenchSetup, sizes: readonly SizeResult[]): string {
  const [small, large] = sizes;
  return [
    '# API benchmark',
    '',
    `Generated by \`npm run build && ${setup.settings} npm run bench -w @meshviz/api\` on ${setup.date}, ${setup.revision}.`,
    '',
    `Real stores scraping a synthetic mesh in the proxy's metric format every ${setup.scrapeSeconds} s for ${setup.fillSeconds} s before`,
    `the first request. For each endpoint: sequential requests after ${warmupText(setup)} warm-up requests, each at a different \`at\` so`,
    'the response cache never answers (one computation each); then, for the endpoints with live answers, requests',
    'without `at` at a steady pace, served by them. Times are measured around `app.inject()`: validation, every PromQL request,',
    "decoding, the topology pipeline and serialisation, the stats and topology computed in the API's worker thread as",
    '`meshviz-api` runs them (the synthetic exporter runs in a process of its own). Prometheus is measured reading the raw series',
    ...(setup.recorded.length === 0
      ? ["(the phase over meshviz's recorded sums was not run: BENCH_RECORDED=none).", 'VictoriaMetrics single-node scrapes the same targets with the same configuration']
      : [
          `and, at ${setup.recorded.join(' and ')} workloads, with meshviz's rule group loaded (\`meshviz-api-rules 1m 5s\`: four recorded sums at the`,
          'scrape interval) and `API_RECORDED_WINDOWS=1m`. VictoriaMetrics single-node scrapes the same targets with the same configuration',
        ]),
    '(`-search.latencyOffset` set to the scrape interval) and is read raw: it evaluates rules only with vmalert.',
    `Machine: ${setup.cores} cores shared by the store, the API, the synthetic exporter and other work (load average at`,
    `start ${loadText(setup.loadAtStart)}, at end ${loadText(setup.loadAtEnd)}; each endpoint's own is in its breakdown).`,
    ...(setup.missing.length > 0 ? ['', `Not installed, so not measured: ${setup.missing.join(', ')}.`] : []),
    '',
    ...sizes.flatMap((s) => [
      `## ${s.workloads} workloads in ${s.namespaces} namespaces, ${s.edges} edges (${s.runs} runs per endpoint)`,
      '',
      '### Calls for the current instant (no `at`), served by live answers',
      '',
      `What the dashboard and the CLI send. One call every ${liveText(s)}; the API computes each answer again in the`,
      `background once per scrape interval (${setup.scrapeSeconds} s) and every call is served the last one, at most one interval`,
      'plus one computation old (`asOf` in the answer). The first call, which waits for the first computation, is not',
      "timed. Beside each: the share of the time the API's event loop was busy meanwhile (serving the calls, and whatever of",
      'the refreshes ran on it) and the longest it was held up (a call arriving then waits that long; on a loaded machine',
      'also the time the thread waited for a core), the peak resident memory of the API process (main thread and worker),',
      'the refreshes that ran, and the cores and resident memory the store used meanwhile (refreshing and scraping),',
      "with its idle ones (scraping only) in brackets: the difference is what keeping that answer live costs the store.",
      'This latency is that of serving an answer already computed; what one computation takes is in the next table.',
      '',
      ...liveSummary(s),
      '',
      '### One computation (a call with `at`; also what one refresh of a live answer takes)',
      '',
      ...summary(s),
      '',
      'What the stores spent: CPU (cores, from their own `process_cpu_seconds_total`) and resident memory while they',
      `only scraped for ${setup.idleSeconds} s (with the rule group evaluating, when loaded) and while the topology (all namespaces)`,
      'was being measured; the rule group\'s evaluation time as Prometheus reports it.',
      '',
      ...costs(s),
      '',
    ]),
    ...(small && large
      ? [
          `## Growth from ${small.workloads} to ${large.workloads} workloads (${small.edges} to ${large.edges} edges)`,
          '',
          'p50 at the large mesh divided by p50 at the small one: of one computation, and of the calls without `at`.',
          '',
          ...growth(small, large),
          '',
        ]
      : []),
    '## Where the time goes',
    '',
    'Median time of each PromQL request (sent, evaluated by the store, answered and decoded by the API), the time',
    'Prometheus reports for evaluating it alone (`stats=all`, evalTotalTime, before any JSON is written: the floor',
    'below which the endpoint cannot answer), and the samples in its answer. An endpoint\'s requests run in parallel,',
    "except the workload detail's second round, which needs the first round's answer.",
    '',
    ...sizes.flatMap((s) => [`### ${s.workloads} workloads`, '', ...s.phases.flatMap((p) => breakdown(s, p))]),
    `Command: \`npm run build && ${setup.settings} npm run bench -w @meshviz/api\` (stores from PATH, or PROMETHEUS_BIN and`,
    'VICTORIA_METRICS_BIN; BENCH_SIZES, BENCH_FILL_SECONDS, BENCH_RUNS for the 500-workload mesh, BENCH_RUNS_LARGE for the',
    '2000-workload one, BENCH_RECORDED for the sizes read through the recorded sums).',
    '',
  ].join('\n');
}
