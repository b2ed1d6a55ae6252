import { type DestinationsFile, OUTBOUND_LABEL } from '@meshviz/mesh-types';
import { splitBackendRequestRates, splitBackendResponseRates } from '@meshviz/promql';
import { configuredSplit } from '../destinations/configured.js';
import type { PrometheusClient, Sample } from '../prometheus/client.js';
import { succeeded } from '../rates/outcome.js';
import type { Ref } from './samples.js';
import type { ConfiguredSplitSample, SplitSample } from './splits.js';

/** Queries the splits add to a topology: backend requests and backend responses of every parent in scope. */
export const SPLIT_QUERY_COUNT = 2;

const parentOf = (l: Record<string, string>): Ref => ({
  namespace: l[OUTBOUND_LABEL.parentNamespace] ?? '',
  name: l[OUTBOUND_LABEL.parentName] ?? '',
});
const backendOf = (l: Record<string, string>): Ref => ({
  namespace: l[OUTBOUND_LABEL.backendNamespace] ?? '',
  name: l[OUTBOUND_LABEL.backendName] ?? '',
});

/**
 * Per parent and backend (all routes together), what the callers' proxies sent and got back. Groups that name no
 * parent or backend cannot be placed.
 */
export function splitSamples(requests: readonly Sample[], responses: readonly Sample[]): SplitSample[] {
  const out = new Map<string, SplitSample>();
  const at = (l: Record<string, string>): SplitSample | undefined => {
    const parent = parentOf(l);
    const backend = backendOf(l);
    if (!parent.name || !backend.name) return undefined;
    const key = `${parent.namespace}/${parent.name}>${backend.namespace}/${backend.name}`;
    let s = out.get(key);
    if (!s) {
      s = { parent, backend, routes: [], rps: null, responses: null, success: null };
      out.set(key, s);
    }
    return s;
  };
  for (const r of requests) {
    const s = at(r.labels);
    if (!s || !Number.isFinite(r.value)) continue;
    s.rps = (s.rps ?? 0) + r.value;
    const route = `${r.labels[OUTBOUND_LABEL.routeKind] ?? ''}/${r.labels[OUTBOUND_LABEL.routeName] ?? ''}`;
    if (r.value > 0 && !s.routes.includes(route)) s.routes = [...s.routes, route].sort();
  }
  for (const r of responses) {
    const s = at(r.labels);
    if (!s || !Number.isFinite(r.value)) continue;
    s.responses = (s.responses ?? 0) + r.value;
    s.success = (s.success ?? 0) + (succeeded(r.labels) ? r.value : 0);
  }
  return [...out.values()].sort((a, b) =>
    `${a.parent.namespace}/${a.parent.name}>${a.backend.namespace}/${a.backend.name}`.localeCompare(
      `${b.parent.namespace}/${b.parent.name}>${b.backend.namespace}/${b.backend.name}`,
    ),
  );
}

/** The measured split of every parent in the namespace (all when null); two queries. */
export async function fetchSplitSamples(prom: PrometheusClient, namespace: string | null, window: string, at: Date): Promise<SplitSample[]> {
  const scope = { namespace, window };
  const [requests, responses] = await Promise.all([
    prom.instant(splitBackendRequestRates(scope), at),
    prom.instant(splitBackendResponseRates(scope), at),
  ]);
  return splitSamples(requests, responses);
}

/** Every configured route backend of the table's services in the namespace (all when null), with its weight. */
export function configuredSplitSamples(table: DestinationsFile | null, namespace: string | null): ConfiguredSplitSample[] {
  if (table === null) return [];
  return Object.values(table.services)
    .filter((entry) => namespace === null || entry.namespace === namespace)
    .flatMap((entry) =>
      configuredSplit(table, entry).map((b) => ({
        parent: { namespace: entry.namespace, name: entry.service },
        route: `${b.route.kind}/${b.route.name}`,
        backend: { namespace: b.backend.namespace, name: b.backend.name },
        weight: b.weight,
        share: b.share,
      })),
    );
}
