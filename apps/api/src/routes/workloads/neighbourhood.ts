import { LABEL, TARGET_LABEL } from '@meshviz/mesh-types';
import { eq, type Matcher, oneOf } from '@meshviz/promql';
import type { PrometheusClient, Sample } from '../../prometheus/client.js';
import {
  edgeSamples,
  fetchDenials,
  fetchEdgeBuckets,
  fetchEdgeRates,
  fetchIdentities,
  fetchRetries,
  fetchWorkloadSamples,
  mergeGroups,
  type Ref,
  type TrafficSamples,
} from '../../topology/samples.js';

/**
 * Queries of one neighbourhood, at most: 3 (edge rates from the workload and into it, one query each; retries),
 * then 5 (rates into the services in front of it and those it calls, one query each; buckets of its own edges and
 * of those services, one query each), then 5 (the workloads' numbers, their identities, and what the workloads
 * behind those services refused). Fewer when it has no services in front or calls none.
 */
export const NEIGHBOURHOOD_QUERY_COUNT = 13;

const key = (r: Ref) => `${r.namespace}/${r.name}`;
const distinct = (refs: Iterable<Ref>, part: keyof Ref) => [...new Set([...refs].map((r) => r[part]))].sort();
/** Refs as one matcher set (namespaces × names: a few extra refs at most, each whole). */
const refsMatcher = (refs: Map<string, Ref>, nsLabel: string, nameLabel: string): Matcher[] => [
  oneOf(nsLabel, distinct(refs.values(), 'namespace')),
  oneOf(nameLabel, distinct(refs.values(), 'name')),
];

/**
 * The traffic around one workload, read in three steps rather than over the whole mesh:
 * 1. the edges from the workload, and into it: these name the services it calls and the services in front of it;
 *    and the retries of the services of its namespace (those in front of it);
 * 2. every edge into those services (all their callers: their totals and service → workload edges are whole),
 *    and the latency buckets of all these edges;
 * 3. the own numbers of the workload, its callers and the workloads behind the services it calls, and the
 *    refusals of every workload behind a service of the neighbourhood (they go on its callers' edges).
 * The samples give every node and edge of the workload's page the same numbers the whole mesh would.
 */
export async function fetchNeighbourhood(
  prom: PrometheusClient,
  namespace: string,
  name: string,
  window: string,
  at: Date,
): Promise<TrafficSamples> {
  const own: Matcher[] = [eq(TARGET_LABEL.namespace, namespace), eq(TARGET_LABEL.deployment, name)];
  const into: Matcher[] = [eq(LABEL.dstNamespace, namespace), eq(LABEL.dstDeployment, name)];
  const [first, retries] = await Promise.all([
    fetchEdgeRates(prom, [own, into], window, at),
    fetchRetries(prom, namespace, window, at),
  ]);

  const called = new Map<string, Ref>();
  const front = new Map<string, Ref>();
  for (const { labels: l } of first) {
    if (!l.dst_service) continue;
    const service = { namespace: l.dst_namespace ?? '', name: l.dst_service };
    if (l.namespace === namespace && l.deployment === name) called.set(key(service), service);
    if (service.namespace === namespace && l.dst_deployment === name) front.set(key(service), service);
  }
  const services = [front, called].filter((m) => m.size > 0).map((m) => refsMatcher(m, LABEL.dstNamespace, LABEL.dstService));
  const whole = (s: Ref) => front.has(key(s)) || called.has(key(s));

  const around = services.length === 0 ? Promise.resolve([] as Sample[]) : fetchEdgeRates(prom, services, window, at);
  const [rates, buckets, [workloads, identities, denials]] = await Promise.all([
    around,
    fetchEdgeBuckets(prom, [own, ...services], window, at),
    around.then((second) => {
      const self = { namespace, name };
      const refs = new Map<string, Ref>([[key(self), self]]);
      const servers = new Map<string, Ref>([[key(self), self]]);
      for (const { labels: l } of second) {
        const service = { namespace: l.dst_namespace ?? '', name: l.dst_service ?? '' };
        const client = { namespace: l.namespace ?? '', name: l.deployment ?? '' };
        const server = { namespace: service.namespace, name: l.dst_deployment ?? '' };
        if (front.has(key(service)) && client.name) refs.set(key(client), client);
        if (called.has(key(service)) && server.name) refs.set(key(server), server);
        if (server.name) servers.set(key(server), server);
      }
      const matcher = refsMatcher(refs, TARGET_LABEL.namespace, TARGET_LABEL.deployment);
      return Promise.all([
        fetchWorkloadSamples(prom, [matcher], window, at),
        fetchIdentities(prom, at, matcher),
        fetchDenials(prom, [refsMatcher(servers, TARGET_LABEL.namespace, TARGET_LABEL.deployment)], window, at),
      ] as const);
    }),
  ]);
  return { workloads, ...edgeSamples(mergeGroups(first, rates), buckets, whole), retries, identities, denials };
}
