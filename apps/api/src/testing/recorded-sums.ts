/**
 * Sums over recorded Prometheus answers, for tests that check the API's numbers against the raw series it read
 * rather than against a range wide enough to hold any plausible value.
 */

type Labels = Record<string, string>;
type Answer = { data: { result: { metric: Labels; value?: [number, string]; values?: [number, string][] }[] } };

/** The one query of `sent` that reads `family` (e.g. `rate(response_total{`), so tests need not retype PromQL. */
export function queryOf(sent: readonly string[], family: string): string {
  const matches = sent.filter((q) => q.includes(`(${family}{`));
  if (matches.length !== 1) throw new Error(`expected one query of ${family} among ${JSON.stringify(sent)}`);
  return matches[0]!;
}

/** Sum of an instant vector's values over the series `keep` selects. */
export function vectorSum(answer: unknown, keep: (labels: Labels) => boolean): number {
  return (answer as Answer).data.result
    .filter((s) => keep(s.metric))
    .reduce((total, s) => total + Number(s.value?.[1]), 0);
}

/** Per timestamp, the sum of a range answer's values over the series `keep` selects. */
export function matrixSums(answer: unknown, keep: (labels: Labels) => boolean): Map<number, number> {
  const sums = new Map<number, number>();
  for (const s of (answer as Answer).data.result) {
    if (!keep(s.metric)) continue;
    for (const [t, v] of s.values ?? []) sums.set(t, (sums.get(t) ?? 0) + Number(v));
  }
  return sums;
}
