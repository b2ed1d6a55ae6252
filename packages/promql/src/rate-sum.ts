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

/** `sum by (<by>) (rate(<metric>{…}[<window>]))`, one term per matcher set, joined with `or`. */
export function sumRate(q: RateSum): string {
  for (const set of q.anyOf) {
    for (const m of set) {
      if (!q.by.includes(m.label)) throw new Error(`matcher on "${m.label}" must be on a label kept by the sum`);
    }
  }
  const term = (extra: readonly Matcher[]) =>
    `sum by (${q.by.join(', ')}) (rate(${selector(q.metric, [...q.base, ...extra])}[${q.window}]))`;
  return q.anyOf.length === 0 ? term([]) : q.anyOf.map(term).join(' or ');
}
