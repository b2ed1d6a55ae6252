import { startStoreServer } from './store-server.js';

/**
 * A stand-in for Prometheus over series described by hand, to construct test fixtures for metric families no
 * running mesh emits yet (construct-policy-mesh.ts). Each series has its labels (with `__name__`) and one value:
 * the per-second rate `rate()` would give for a counter, or the sample value of a gauge. It evaluates the subset
 * of PromQL the API sends, with Prometheus' semantics: `sum|count|max by (…) (rate(sel[w]))` or `(sel)`, and the
 * binary `or` and `-` between such terms (label sets matched whole). Anything else is left unanswered (Prometheus'
 * 400), as the recorded Prometheus does for a query nobody recorded.
 */
export interface SyntheticSeries {
  labels: Record<string, string>;
  value: number;
}

type Labels = Record<string, string>;
interface Sample {
  metric: Labels;
  value: number;
}
interface Matcher {
  label: string;
  op: string;
  value: string;
}

const TERM = /^(sum|count|max) by \(([^)]*)\) \((.*)\)$/;
const RATE = /^rate\((.*)\[([0-9a-z]+)\]\)$/;
const SELECTOR = /^([a-zA-Z_:][a-zA-Z0-9_:]*)?\{(.*)\}$/;
const MATCHER = /([a-zA-Z_][a-zA-Z0-9_]*)(=~|!~|!=|=)"((?:[^"\\]|\\.)*)"/g;

function matches(labels: Labels, m: Matcher): boolean {
  const v = labels[m.label] ?? '';
  if (m.op === '=') return v === m.value;
  if (m.op === '!=') return v !== m.value;
  const hit = new RegExp(`^(?:${m.value})$`).test(v);
  return m.op === '=~' ? hit : !hit;
}

function select(series: readonly SyntheticSeries[], text: string): SyntheticSeries[] | undefined {
  const m = SELECTOR.exec(text);
  if (!m) return undefined;
  const matchers: Matcher[] = [...(m[2] ?? '').matchAll(MATCHER)].map(([, label = '', op = '', raw = '']) => ({
    label,
    op,
    value: raw.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c)),
  }));
  if (m[1]) matchers.push({ label: '__name__', op: '=', value: m[1] });
  return series.filter((s) => matchers.every((x) => matches(s.labels, x)));
}

const identity = (l: Labels) =>
  Object.keys(l)
    .sort()
    .map((k) => `${k}=${l[k]}`)
    .join('\u0000');

function term(series: readonly SyntheticSeries[], text: string): Sample[] | undefined {
  const t = TERM.exec(text);
  if (!t) return undefined;
  const [, op = '', byText = '', inner = ''] = t;
  const rate = RATE.exec(inner);
  const selected = select(series, rate ? (rate[1] ?? '') : inner);
  if (!selected) return undefined;
  const by = byText.split(', ');
  const groups = new Map<string, { metric: Labels; values: number[] }>();
  for (const s of selected) {
    // Labels of `by` that a series lacks (or has empty) are not part of the group's labels.
    const metric = Object.fromEntries(by.filter((k) => s.labels[k]).map((k) => [k, s.labels[k] ?? '']));
    const k = identity(metric);
    const g = groups.get(k) ?? { metric, values: [] };
    g.values.push(s.value);
    groups.set(k, g);
  }
  return [...groups.values()].map(({ metric, values }) => ({
    metric,
    value: op === 'count' ? values.length : op === 'max' ? Math.max(...values) : values.reduce((a, b) => a + b, 0),
  }));
}

/** Splits at a binary operator outside parentheses and quotes. */
function splitTop(text: string, operator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') depth--;
    else if (depth === 0 && text.startsWith(operator, i)) {
      parts.push(text.slice(start, i));
      start = i + operator.length;
      i = start - 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** The instant vector Prometheus would answer, or undefined for PromQL outside the subset. */
export function evaluate(series: readonly SyntheticSeries[], query: string): Sample[] | undefined {
  const difference = splitTop(query, ' - ');
  if (difference.length === 2) {
    const [left, right] = difference.map((p) => term(series, p));
    if (!left || !right) return undefined;
    const rightBy = new Map(right.map((s) => [identity(s.metric), s.value]));
    return left.flatMap((s) => {
      const r = rightBy.get(identity(s.metric));
      return r === undefined ? [] : [{ metric: s.metric, value: s.value - r }];
    });
  }
  if (difference.length > 2) return undefined;
  const out: Sample[] = [];
  const seen = new Set<string>();
  for (const part of splitTop(query, ' or ')) {
    const samples = term(series, part);
    if (!samples) return undefined;
    // `or` keeps the left side's groups and adds the right side's others.
    const fresh = samples.filter((s) => !seen.has(identity(s.metric)));
    for (const s of fresh) out.push(s);
    for (const s of fresh) seen.add(identity(s.metric));
  }
  return out;
}

/**
 * Serves `POST /api/v1/query` from `series`, and other paths from `fixed` answers (e.g. status/config); `answered`
 * keeps every answer it gave, by query, in the form recorded fixtures have.
 */
export async function startSyntheticPrometheus(series: readonly SyntheticSeries[], fixed: Record<string, unknown>) {
  const answered: Record<string, unknown> = {};
  const server = await startStoreServer(({ path, params }) => {
    if (path !== '/api/v1/query') {
      const answer = fixed[path];
      if (answer !== undefined) answered[path] = answer;
      return { status: answer === undefined ? 404 : 200, body: JSON.stringify(answer ?? { status: 'error', errorType: 'not_found', error: 'not served' }) };
    }
    const query = params.get('query') ?? '';
    const time = Number(params.get('time') ?? '0');
    const samples = evaluate(series, query);
    if (!samples) {
      return { status: 400, body: JSON.stringify({ status: 'error', errorType: 'bad_data', error: `not in the synthetic subset: ${query}` }) };
    }
    const result = samples
      .sort((a, b) => identity(a.metric).localeCompare(identity(b.metric)))
      .map((s) => ({ metric: s.metric, value: [time, String(s.value)] }));
    const answer = { status: 'success', data: { resultType: 'vector', result } };
    answered[query] = answer;
    return { status: 200, body: JSON.stringify(answer) };
  });
  return { url: server.url, answered, close: server.close };
}
