import { DEFAULT_HEALTH_THRESHOLDS, parseDurationSeconds, type TopologyResponse } from '@meshviz/mesh-types';
import { denialsTouching, edgesTouching, eq } from '@meshviz/promql';
import type { DestinationsSource } from '../destinations/destinations-file.js';
import type { PrometheusClient } from '../prometheus/client.js';
import { buildTopology } from './pipeline.js';
import { fetchTrafficSamples, type TrafficScope, trafficQueryCount } from './samples.js';
import { configuredSplitSamples } from './split-samples.js';

/**
 * The whole mesh, or one namespace: its workloads, the edges whose client or service is in it, the
 * service → workload edges of its own services (only those are whole: every caller of them is read), and the
 * refusals those edges can carry (by its workloads, and of its clients by workloads elsewhere).
 */
export function topologyScope(namespace: string | null, window: string): TrafficScope {
  if (namespace === null) {
    return { window, workloads: [], edges: [], wholeService: () => true, retriesIn: null, denials: [], splitsIn: null };
  }
  return {
    window,
    workloads: [[eq('namespace', namespace)]],
    edges: edgesTouching(namespace),
    wholeService: (s) => s.namespace === namespace,
    retriesIn: namespace,
    denials: denialsTouching(namespace),
    splitsIn: namespace,
  };
}

/** PromQL queries of a topology call over the whole mesh (null) or one namespace; one namespace asks the most. */
export function topologyQueryCount(namespace: string | null): number {
  return trafficQueryCount(topologyScope(namespace, '1m'));
}

export async function getTopology(
  prom: PrometheusClient,
  namespace: string | null,
  window: string,
  scrapeSeconds: number,
  at: Date,
  destinations: DestinationsSource,
): Promise<TopologyResponse> {
  const [samples, configured] = await Promise.all([fetchTrafficSamples(prom, topologyScope(namespace, window), at), destinations.read()]);
  samples.configuredSplits = configuredSplitSamples(configured.table, namespace);
  const noise = { windowSeconds: parseDurationSeconds(window) ?? 60, scrapeSeconds };
  const graph = buildTopology(samples, { noise, thresholds: DEFAULT_HEALTH_THRESHOLDS });
  return { window, thresholds: DEFAULT_HEALTH_THRESHOLDS, ...graph, configured: configured.source, asOf: at.toISOString() };
}
