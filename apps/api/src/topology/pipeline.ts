import { DEFAULT_HEALTH_THRESHOLDS, type HealthThresholds } from '@meshviz/mesh-types';
import { applyDenials } from './denials.js';
import { edgeId, type Graph, nodeId } from './graph.js';
import { applyHealth } from './health.js';
import { markIdleAndDead } from './idle.js';
import type { Ref, TrafficSamples } from './samples.js';
import { applySecurity } from './security.js';
import { applySplits } from './splits.js';
import { buildTrafficMap } from './traffic-map.js';
import { addUnmeshedClients, type RateNoise } from './unmeshed.js';

/** Reasons for plaintext per edge id, taken from both hops' samples. */
export function reasonsByEdge(samples: TrafficSamples): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const s of samples.clientService) {
    const id = edgeId(nodeId('deployment', s.from.namespace, s.from.name), nodeId('service', s.to.namespace, s.to.name));
    out.set(id, s.noTlsReasons);
  }
  for (const s of samples.serviceWorkload) {
    const id = edgeId(nodeId('service', s.from.namespace, s.from.name), nodeId('deployment', s.to.namespace, s.to.name));
    out.set(id, s.noTlsReasons);
  }
  return out;
}

/** The workloads behind each client → service edge that answered its client, per edge id. */
export function serversByEdge(samples: TrafficSamples): Map<string, Ref[]> {
  return new Map(
    samples.clientService.map((s) => [
      edgeId(nodeId('deployment', s.from.namespace, s.from.name), nodeId('service', s.to.namespace, s.to.name)),
      s.servers ?? [],
    ]),
  );
}

export interface TopologyOptions {
  /** Window and scrape interval of the rates, which bound the noise step 2 must not take for clients. */
  noise: RateNoise;
  thresholds?: HealthThresholds;
  /**
   * Step 2, clients without a proxy inferred from what servers saw beyond what meshed callers sent (default on).
   * Off for one service's neighbourhood: those clients are measured per workload, and a backend may serve other
   * services, so a part of one service's graph cannot tell them apart.
   */
  unmeshedClients?: boolean;
}

/** Retries per second by service node id. */
export function retriesByService(samples: TrafficSamples): Map<string, number> {
  return new Map(samples.retries.map((r) => [nodeId('service', r.service.namespace, r.service.name), r.rps]));
}

/** Traffic map → unmeshed clients (unless turned off) → health → security → idle/dead nodes → denials → splits. */
export function buildTopology(samples: TrafficSamples, o: TopologyOptions): Graph {
  const thresholds = o.thresholds ?? DEFAULT_HEALTH_THRESHOLDS;
  let g = buildTrafficMap(samples);
  if (o.unmeshedClients !== false) g = addUnmeshedClients(g, o.noise, retriesByService(samples));
  g = applyHealth(g, thresholds);
  g = applySecurity(g, reasonsByEdge(samples), samples.identities);
  g = markIdleAndDead(g);
  g = applyDenials(g, samples.denials ?? [], samples.identities ?? [], serversByEdge(samples));
  return applySplits(g, samples.splits ?? [], samples.configuredSplits ?? [], thresholds);
}
