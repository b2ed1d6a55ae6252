import {
  IDENTITY_LABEL,
  type NeighbourStats,
  parseDurationSeconds,
  type StatsRow,
  type TopologyEdge,
  type TopologyNode,
  type WorkloadDetailResponse,
} from '@meshviz/mesh-types';
import { podCertificates } from '@meshviz/promql';
import type { PrometheusClient } from '../../prometheus/client.js';
import { nodeId } from '../../topology/graph.js';
import { buildTopology } from '../../topology/pipeline.js';
import { STATS_QUERY_COUNT, statsRows } from '../stats/stats-queries.js';
import { fetchNeighbourhood, NEIGHBOURHOOD_QUERY_COUNT } from './neighbourhood.js';

/** Queries per detail call, whatever the mesh size: the neighbourhood's, 3 for the pods and 1 for their certificates. */
export const DETAIL_QUERY_COUNT = NEIGHBOURHOOD_QUERY_COUNT + STATS_QUERY_COUNT + 1;

/** A neighbour's row (callers and callees of workload and service pages) from its graph node and edge. */
export function neighbour(node: TopologyNode, edge: TopologyEdge): NeighbourStats {
  return {
    id: node.id,
    kind: node.kind === 'service' || node.kind === 'unmeshed' ? node.kind : 'deployment',
    namespace: node.namespace,
    name: node.name,
    rps: edge.rps,
    successRate: edge.successRate,
    latencyMs: edge.latencyMs,
    mtlsShare: edge.mtlsShare,
    secured: edge.secured,
    ...(edge.insecureReason ? { insecureReason: edge.insecureReason } : {}),
    // The identities the hop's mTLS proved, when it was secured.
    clientId: edge.clientId ?? null,
    serverId: edge.serverId ?? null,
  };
}

const emptyRow = (namespace: string, name: string): StatsRow => ({
  kind: 'deployment',
  namespace,
  name,
  meshedPods: 0,
  rps: null,
  successRate: null,
  latencyMs: { p50: null, p95: null, p99: null },
});

/**
 * One workload's page in one call: its inbound stats, who calls it (through its services, and unmeshed clients),
 * whom it calls, its pods, and that neighbourhood as a small graph. Null when Prometheus knows nothing of it.
 */
export async function getWorkloadDetail(
  prom: PrometheusClient,
  namespace: string,
  name: string,
  window: string,
  scrapeSeconds: number,
  at: Date,
): Promise<WorkloadDetailResponse | null> {
  const [samples, pods, certificates] = await Promise.all([
    fetchNeighbourhood(prom, namespace, name, window, at),
    statsRows(prom, { groupBy: 'pod', namespace, deployment: name, window }, at),
    fetchCertificates(prom, namespace, name, at),
  ]);
  const graph = buildTopology(samples, { noise: { windowSeconds: parseDurationSeconds(window) ?? 60, scrapeSeconds } });
  const self = nodeId('deployment', namespace, name);
  const selfNode = graph.nodes.find((n) => n.id === self);
  if (!selfNode && pods.length === 0) return null;
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));

  const outEdges = graph.edges.filter((e) => e.source === self);
  const frontServices = graph.edges.filter((e) => e.target === self && byId.get(e.source)?.kind === 'service');
  const frontIds = new Set(frontServices.map((e) => e.source));
  const callerEdges = graph.edges.filter((e) => frontIds.has(e.target));
  const unmeshedEdges = graph.edges.filter((e) => e.target === self && byId.get(e.source)?.kind === 'unmeshed');
  const backEdges = graph.edges.filter((e) => outEdges.some((o) => o.target === e.source));

  const edges = [...outEdges, ...backEdges, ...frontServices, ...callerEdges, ...unmeshedEdges];
  const ids = new Set(edges.flatMap((e) => [e.source, e.target]).concat(self));
  const nodes = graph.nodes.filter((n) => ids.has(n.id));
  const parents = new Set(nodes.map((n) => n.parent));
  const withParents = [...nodes, ...graph.nodes.filter((n) => n.kind === 'namespace' && parents.has(n.id))];

  const upstreams = [...callerEdges, ...unmeshedEdges].map((e) => neighbour(byId.get(e.source)!, e));
  const downstreams = outEdges.map((e) => neighbour(byId.get(e.target)!, e));
  const row: StatsRow = selfNode
    ? {
        kind: 'deployment',
        namespace,
        name,
        meshedPods: pods.reduce((a, p) => a + p.meshedPods, 0),
        rps: selfNode.rps,
        successRate: selfNode.successRate,
        latencyMs: selfNode.latencyMs,
      }
    : { ...emptyRow(namespace, name), meshedPods: pods.reduce((a, p) => a + p.meshedPods, 0) };
  return {
    window,
    workload: row,
    upstreams,
    downstreams,
    pods,
    certificates,
    graph: { nodes: [...new Map(withParents.map((n) => [n.id, n])).values()], edges },
  };
}

/** The pods' identities and certificate expiries; a store that cannot answer leaves them out (they are labels). */
async function fetchCertificates(prom: PrometheusClient, namespace: string, name: string, at: Date) {
  const samples = await prom.instant(podCertificates(namespace, name), at).catch(() => []);
  return samples
    .filter((s) => s.labels.pod && s.labels[IDENTITY_LABEL.identity] && Number.isFinite(s.value))
    .map((s) => ({
      pod: s.labels.pod ?? '',
      identity: s.labels[IDENTITY_LABEL.identity] ?? '',
      expiresAt: new Date(s.value * 1000).toISOString(),
    }))
    .sort((a, b) => a.pod.localeCompare(b.pod));
}
