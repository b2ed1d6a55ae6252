import type { Matcher } from './label-matchers.js';
import { selector } from './label-matchers.js';

export interface RateSum {
  metric: string;
  /** Labels kept, in this order. */
  by: readonly string[];
  /** Matchers every selected series must meet. */
  base: readonly Matcher[];
  /**
   * Series meeting any of these matcher sets (each ANDed with `base`); every series of `base` when empty. Each set
   * may match only labels in `by`, so every half of the `or` selects whole groups: a group found by two halves has
   * the same value in both, and `or` (which keeps the left one) drops nothing and counts nothing twice.
   */
  anyOf: readonly (readonly Matcher[])[];
  window: string;
}

/**
 * A query and the labels its answer is grouped by. Decoders key the samples by `by` rather than by a list of their
 * own, so a label added to or dropped from a query cannot leave its decoding behind.
 */
export interface GroupedQuery {
  promql: string;
  /** Labels each sample of the answer carries (those of them the series have), in the query's order. */
  by: readonly string[];
  /** The sum of rates it is, when it is one: a store holding that sum precomputed can answer it (recording-rules.ts). */
  rateSum?: RateSum;
}

/** The PromQL text of a query, grouped or not. */
export const promqlOf = (q: string | GroupedQuery): string => (typeof q === 'string' ? q : q.promql);

/** `by` without the labels a decoder folds over (e.g. `classification`, `le`): what names one group. */
export const groupLabels = (q: GroupedQuery, ...folded: string[]): string[] => q.by.filter((l) => !folded.includes(l));

/** `<op> by (<by>) (<inner>)`. */
export const aggregate = (op: 'sum' | 'count' | 'max', by: readonly string[], inner: string): string =>
  `${op} by (${by.join(', ')}) (${inner})`;

/** The one place a `sum by (…) (rate(…))` is written: one term per matcher set, joined with `or`. */
export function sumRate(q: RateSum): GroupedQuery {
  for (const set of q.anyOf) {
    for (const m of set) {
      if (!q.by.includes(m.label)) throw new Error(`matcher on "${m.label}" must be on a label kept by the sum`);
    }
  }
  const term = (extra: readonly Matcher[]) =>
    aggregate('sum', q.by, `rate(${selector(q.metric, [...q.base, ...extra])}[${q.window}])`);
  const promql = q.anyOf.length === 0 ? term([]) : q.anyOf.map(term).join(' or ');
  return { promql, by: q.by, rateSum: q };
}

/** `<op> by (<by>) (<metric>{…})` of a gauge or an info series, one term per matcher set (as sumRate), joined with `or`. */
export function aggregateGauge(
  op: 'sum' | 'count' | 'max',
  q: { metric: string; by: readonly string[]; base: readonly Matcher[]; anyOf: readonly (readonly Matcher[])[] },
): GroupedQuery {
  for (const m of q.anyOf.flat()) {
    if (!q.by.includes(m.label)) throw new Error(`matcher on "${m.label}" must be on a grouping label`);
  }
  const sets = q.anyOf.length > 0 ? q.anyOf : [[]];
  return { promql: sets.map((set) => aggregate(op, q.by, selector(q.metric, [...q.base, ...set]))).join(' or '), by: q.by };
}
