import { DEFAULT_HEALTH_THRESHOLDS, type HealthThresholds } from '@meshviz/mesh-types';
import { edgeId, type Graph, nodeId } from './graph.js';
import { applyHealth } from './health.js';
import { markIdleAndDead } from './idle.js';
import type { TrafficSamples } from './samples.js';
import { applySecurity } from './security.js';
import { buildTrafficMap } from './traffic-map.js';
import { addUnmeshedClients } from './unmeshed.js';

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

/** Traffic map → unmeshed clients → health → security → idle/dead nodes. */
export function buildTopology(samples: TrafficSamples, thresholds: HealthThresholds = DEFAULT_HEALTH_THRESHOLDS): Graph {
  let g = buildTrafficMap(samples);
  g = addUnmeshedClients(g);
  g = applyHealth(g, thresholds);
  g = applySecurity(g, reasonsByEdge(samples));
  return markIdleAndDead(g);
}
