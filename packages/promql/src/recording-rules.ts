import { LABEL, METRIC, TARGET_LABEL } from '@meshviz/mesh-types';
import { EDGE_LABELS } from './edges.js';
import { eq, type Matcher, selector } from './label-matchers.js';
import { aggregate, type GroupedQuery, type RateSum, sumRate } from './rate-sum.js';

/**
 * Recording rules for the sums the whole-mesh stats and topology read: the raw counters and buckets summed to the
 * workload and to the edge (and `le`, `classification`, tls), at the scrape interval, for one rate window. A query
 * that sums a subset of those labels of the same series can read the recorded sum instead of rating every raw
 * series again: summing the recorded groups gives the same numbers (sums of sums), as of the rule group's last
 * evaluation, at most one interval before the query's instant.
 */
interface RecordedSum {
  /** Middle of the recorded name, `meshviz:<name>:rate<window>`. */
  name: string;
  metric: string;
  by: readonly string[];
  base: readonly Matcher[];
}

const BUCKET = `${METRIC.responseLatencyMs}_bucket`;
const WORKLOAD = [TARGET_LABEL.namespace, TARGET_LABEL.deployment] as const;
const inbound = [eq(LABEL.direction, 'inbound')];
const outbound = [eq(LABEL.direction, 'outbound')];

export const RECORDED_SUMS: readonly RecordedSum[] = [
  { name: 'workload_response', metric: METRIC.responseTotal, by: [...WORKLOAD, LABEL.classification], base: inbound },
  { name: 'workload_response_latency_ms_bucket', metric: BUCKET, by: [LABEL.le, ...WORKLOAD], base: inbound },
  {
    name: 'edge_response',
    metric: METRIC.responseTotal,
    by: [...EDGE_LABELS, LABEL.classification, LABEL.tls, LABEL.noTlsReason],
    base: outbound,
  },
  { name: 'edge_response_latency_ms_bucket', metric: BUCKET, by: [LABEL.le, ...EDGE_LABELS], base: outbound },
];

/** The recorded series' name for one sum and window (Prometheus' level:metric:operations convention). */
export const recordedName = (sum: Pick<RecordedSum, 'name'>, window: string): string => `meshviz:${sum.name}:rate${window}`;

const WINDOW = /^[0-9]+[smhdwy]$/;

/** The rule group, as Prometheus' (and vmalert's) rule file YAML, for `window` evaluated every `interval`. */
export function recordingRuleGroup(window: string, interval: string): string {
  if (!WINDOW.test(window)) throw new Error(`window ${JSON.stringify(window)} must be a duration such as 1m`);
  if (!WINDOW.test(interval)) throw new Error(`interval ${JSON.stringify(interval)} must be a duration such as 5s`);
  const rules = RECORDED_SUMS.flatMap((s) => [
    `      - record: ${recordedName(s, window)}`,
    `        expr: ${sumRate({ metric: s.metric, by: s.by, base: s.base, anyOf: [], window }).promql}`,
  ]);
  return [
    'groups:',
    `  - name: meshviz-rates-${window}`,
    `    interval: ${interval}`,
    '    rules:',
    ...rules,
    '',
  ].join('\n');
}

const same = (a: Matcher, b: Matcher) => a.label === b.label && a.op === b.op && a.value === b.value;

/** The recorded sum a sum of rates can be read from, with the matchers left to apply to it; undefined if none. */
export function recordedSumFor(q: RateSum): { sum: RecordedSum; rest: Matcher[] } | undefined {
  for (const sum of RECORDED_SUMS) {
    if (sum.metric !== q.metric || !q.by.every((l) => sum.by.includes(l))) continue;
    if (!sum.base.every((m) => q.base.some((b) => same(b, m)))) continue;
    const rest = q.base.filter((b) => !sum.base.some((m) => same(b, m)));
    const filtered = [...rest, ...q.anyOf.flat()];
    // Only matchers on labels the recorded series keep can be applied to them.
    if (filtered.every((m) => sum.by.includes(m.label))) return { sum, rest };
  }
  return undefined;
}

/**
 * The same query over the recorded sums when the store records the query's window (`windows`) and a recorded sum
 * keeps every label it groups or filters by; otherwise the query unchanged.
 */
export function overRecordedSums(q: GroupedQuery, windows: ReadonlySet<string>): GroupedQuery {
  const r = q.rateSum;
  if (!r || !windows.has(r.window)) return q;
  const found = recordedSumFor(r);
  if (!found) return q;
  const name = recordedName(found.sum, r.window);
  const term = (extra: readonly Matcher[]) => aggregate('sum', r.by, selector(name, [...found.rest, ...extra]));
  const promql = r.anyOf.length === 0 ? term([]) : r.anyOf.map(term).join(' or ');
  return { promql, by: q.by };
}
