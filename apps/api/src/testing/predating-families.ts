import { OUTBOUND_METRIC } from '@meshviz/mesh-types';
import type { RecordedOptions } from './recorded-prometheus.js';

type Fallback = NonNullable<RecordedOptions['fallback']>;

const EMPTY = { status: 'success', data: { resultType: 'vector', result: [] } } as const;
const NAMES = /([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g;

/**
 * A `fallback` for recordings made before proxies emitted `families`: a query that selects only those families got
 * an empty vector from the Prometheus the recording was made off, as any query of a family without series does.
 * A query that also reads anything else is left to the recording (or the next fallback).
 */
export function predatingFamilies(families: readonly string[]): Fallback {
  const known = new Set(families);
  return (_recorded, query) => {
    const names = [...query.matchAll(NAMES)].map((m) => m[1] ?? '');
    return names.length > 0 && names.every((n) => known.has(n)) ? EMPTY : undefined;
  };
}

/** The recordings of demo-mesh.json and retry-mesh.json predate the outbound route, backend and balancer families. */
export const predatingOutbound: Fallback = predatingFamilies(Object.values(OUTBOUND_METRIC));

/** Tries each fallback in turn. */
export function fallbacks(...each: Fallback[]): Fallback {
  return (recorded, query) => {
    for (const f of each) {
      const answer = f(recorded, query);
      if (answer !== undefined) return answer;
    }
    return undefined;
  };
}
