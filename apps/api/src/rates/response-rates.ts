import type { Sample } from '../prometheus/client.js';

/** Responses per second of one group and the part classified as success. */
export interface ResponseRates {
  total: number;
  success: number;
}

/**
 * Folds `sum by (…, classification)` samples into one total and success rate per key. A key absent from the
 * answer has no series in the window (no data); a total of 0 means series without responses in the window.
 */
export function ratesBy(samples: readonly Sample[], keyOf: (labels: Record<string, string>) => string): Map<string, ResponseRates> {
  const out = new Map<string, ResponseRates>();
  for (const s of samples) {
    const key = keyOf(s.labels);
    let r = out.get(key);
    if (!r) {
      r = { total: 0, success: 0 };
      out.set(key, r);
    }
    r.total += s.value;
    if (s.labels.classification === 'success') r.success += s.value;
  }
  return out;
}

/** Label values joined into a map key. */
export const keyOf =
  (labels: readonly string[]) =>
  (l: Record<string, string>): string =>
    labels.map((k) => l[k] ?? '').join('\u0000');
