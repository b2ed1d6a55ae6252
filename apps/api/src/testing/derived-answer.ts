/**
 * A `fallback` for recordedPrometheus (recorded-prometheus.ts): answers a query nobody recorded when it only narrows
 * a recorded one. `sum by (L) (rate(m{base, extra}[w]))` with every extra matcher on a label of L is the recorded
 * `sum by (L) (rate(m{base}[w]))` with its groups filtered by the extra matchers: exactly what Prometheus itself
 * would answer. Anything else stays unanswered (Prometheus' 400), so a query that reads something new still fails.
 */

interface Matcher {
  label: string;
  op: string;
  value: string;
}
interface Term {
  head: string;
  by: string[];
  metric: string;
  range: string;
  matchers: Matcher[];
}

const TERM = /^(sum|count) by \(([^)]*)\) \((rate\()?([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\}(?:\[([0-9a-z]+)\]\))?\)$/;
const MATCHER = /([a-zA-Z_][a-zA-Z0-9_]*)(=~|!~|!=|=)"((?:[^"\\]|\\.)*)"/g;

function parseTerm(term: string): Term | null {
  const m = TERM.exec(term);
  if (!m) return null;
  const matchers = [...(m[5] ?? '').matchAll(MATCHER)].map(([, label = '', op = '', raw = '']) => ({
    label,
    op,
    value: raw.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c)),
  }));
  return { head: `${m[1]}${m[3] ?? ''}`, by: (m[2] ?? '').split(', '), metric: m[4] ?? '', range: m[6] ?? '', matchers };
}

const same = (a: Matcher, b: Matcher) => a.label === b.label && a.op === b.op && a.value === b.value;

function matches(labels: Record<string, string>, m: Matcher): boolean {
  const v = labels[m.label] ?? '';
  if (m.op === '=') return v === m.value;
  if (m.op === '!=') return v !== m.value;
  const hit = new RegExp(`^(?:${m.value})$`).test(v);
  return m.op === '=~' ? hit : !hit;
}

type Answer = { status: string; data: { resultType: string; result: { metric: Record<string, string> }[] } };

/** The answer to `query` taken from a recorded broader one, or undefined when none narrows to it. */
export function deriveAnswer(recorded: Readonly<Record<string, unknown>>, query: string): Answer | undefined {
  const terms = query.split(' or ').map(parseTerm);
  if (terms.length !== 1 || !terms[0]) return undefined;
  const want = terms[0];
  for (const [key, answer] of Object.entries(recorded)) {
    const have = parseTerm(key);
    if (!have || have.head !== want.head || have.metric !== want.metric || have.range !== want.range) continue;
    if (have.by.join() !== want.by.join()) continue;
    if (!have.matchers.every((h) => want.matchers.some((w) => same(h, w)))) continue;
    const extra = want.matchers.filter((w) => !have.matchers.some((h) => same(h, w)));
    if (!extra.every((m) => want.by.includes(m.label))) continue;
    const a = answer as Answer;
    return { ...a, data: { ...a.data, result: a.data.result.filter((s) => extra.every((m) => matches(s.metric, m))) } };
  }
  return undefined;
}
