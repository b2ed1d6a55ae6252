/**
 * Hand-written checks of Prometheus HTTP API answers. Answers can hold tens of thousands of samples, so they are
 * walked once with plain loops (no per-sample objects beyond the result) instead of a schema library; anything
 * off-shape is an error, never a silently wrong number.
 */

/** One sample of an instant vector with its labels; `value` may be NaN (e.g. 0/0), which callers turn into null. */
export interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** One series of a range query: [unix seconds, value] pairs at the step the query asked for. */
export interface Series {
  labels: Record<string, string>;
  values: Array<[number, number]>;
}

export interface ActiveTarget {
  labels: Record<string, string>;
  scrapeUrl: string;
  health: string;
  lastScrape: Date | null;
  lastError: string;
}

export class MalformedAnswer extends Error {}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Prometheus writes floats as strings, with "+Inf", "-Inf" and "NaN" for the special values. */
export function parseSampleValue(v: unknown): number {
  if (typeof v !== 'string') throw new MalformedAnswer(`sample value is not a string: ${JSON.stringify(v)}`);
  if (v === '+Inf' || v === 'Inf') return Number.POSITIVE_INFINITY;
  if (v === '-Inf') return Number.NEGATIVE_INFINITY;
  const n = Number(v);
  if (Number.isNaN(n) && v !== 'NaN') throw new MalformedAnswer(`sample value is not a number: ${JSON.stringify(v)}`);
  return n;
}

function labelsOf(metric: unknown): Record<string, string> {
  if (!isObject(metric)) throw new MalformedAnswer('series without a label set');
  for (const k in metric) {
    if (typeof metric[k] !== 'string') throw new MalformedAnswer(`label ${k} is not a string`);
  }
  return metric as Record<string, string>;
}

/** The `data` of a successful answer; an error answer (or anything else) throws. */
export function dataOf(body: unknown): Json {
  if (!isObject(body)) throw new MalformedAnswer('the answer is not a JSON object');
  if (body.status !== 'success') {
    throw new MalformedAnswer(`status ${String(body.status)}: ${String(body.errorType ?? '')} ${String(body.error ?? '')}`);
  }
  if (!isObject(body.data)) throw new MalformedAnswer('the answer has no data');
  return body.data;
}

function resultOf(body: unknown, type: 'vector' | 'matrix'): unknown[] {
  const data = dataOf(body);
  if (data.resultType !== type || !Array.isArray(data.result)) {
    throw new MalformedAnswer(`expected a ${type}, got ${String(data.resultType)}`);
  }
  return data.result;
}

export function decodeVector(body: unknown): Sample[] {
  const result = resultOf(body, 'vector');
  const out: Sample[] = new Array(result.length);
  for (let i = 0; i < result.length; i++) {
    const s = result[i] as Json | null;
    const value = s?.value;
    if (!Array.isArray(value) || value.length !== 2) throw new MalformedAnswer('vector sample without [time, value]');
    out[i] = { labels: labelsOf(s?.metric), value: parseSampleValue(value[1]) };
  }
  return out;
}

export function decodeMatrix(body: unknown): Series[] {
  const result = resultOf(body, 'matrix');
  return result.map((s) => {
    const raw = (s as Json | null)?.values;
    if (!Array.isArray(raw)) throw new MalformedAnswer('matrix series without values');
    const values = raw.map((p): [number, number] => {
      if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== 'number') {
        throw new MalformedAnswer('matrix point without [time, value]');
      }
      return [Math.round(p[0]), parseSampleValue(p[1])];
    });
    return { labels: labelsOf((s as Json).metric), values };
  });
}

/** A list of strings as `data` (label values, metric names). */
export function decodeStrings(body: unknown): string[] {
  if (!isObject(body)) throw new MalformedAnswer('the answer is not a JSON object');
  if (body.status !== 'success') throw new MalformedAnswer(`status ${String(body.status)}: ${String(body.error ?? '')}`);
  const data = body.data;
  if (!Array.isArray(data) || data.some((v) => typeof v !== 'string')) throw new MalformedAnswer('expected a list of strings');
  return data as string[];
}

export function decodeTargets(body: unknown): ActiveTarget[] {
  const data = dataOf(body);
  if (!Array.isArray(data.activeTargets)) throw new MalformedAnswer('targets answer without activeTargets');
  return data.activeTargets.map((t) => {
    if (!isObject(t)) throw new MalformedAnswer('target is not an object');
    const last = typeof t.lastScrape === 'string' ? new Date(t.lastScrape) : null;
    return {
      labels: labelsOf(t.labels),
      scrapeUrl: String(t.scrapeUrl ?? ''),
      health: String(t.health ?? 'unknown'),
      // Prometheus reports "0001-01-01" before the first scrape.
      lastScrape: last && !Number.isNaN(last.getTime()) && last.getUTCFullYear() > 2000 ? last : null,
      lastError: typeof t.lastError === 'string' ? t.lastError : '',
    };
  });
}
