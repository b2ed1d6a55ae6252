import {
  type EdgeScope,
  edgeLatencyQuantile,
  edgeNoTlsReasons,
  edgeRps,
  edgeSuccessRps,
  edgeTlsRps,
  HOP_LABELS,
  type Hop,
  type StatsScope,
  statsLatencyQuantile,
  statsMeshedPods,
  statsRps,
  statsSuccessRps,
} from '@meshviz/promql';
import type { PrometheusClient, Sample } from '../plugins/prometheus.js';

/** Raw rates of one group; numbers straight from Prometheus (NaN and missing become null later). */
export interface Rates {
  rps: number | null;
  success: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface Ref {
  namespace: string;
  name: string;
}

export interface WorkloadSample extends Ref, Rates {
  meshedPods: number;
}

export interface EdgeSample extends Rates {
  from: Ref;
  to: Ref;
  tls: number | null;
  noTlsReasons: string[];
}

/** What the topology is built from: JSON-serialisable, so each pipeline step is tested against golden files. */
export interface TrafficSamples {
  workloads: WorkloadSample[];
  clientService: EdgeSample[];
  serviceWorkload: EdgeSample[];
}

/** PromQL queries per topology call: 6 for workloads and 7 for each of the two hops, whatever the mesh size. */
export const TOPOLOGY_QUERY_COUNT = 20;

const num = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : v);

function groupBy(samples: Sample[], labels: readonly string[]): Map<string, Sample[]> {
  const out = new Map<string, Sample[]>();
  for (const s of samples) {
    const key = labels.map((l) => s.labels[l] ?? '').join('\u0000');
    const list = out.get(key);
    if (list) list.push(s);
    else out.set(key, [s]);
  }
  return out;
}

async function fetchHop(prom: PrometheusClient, scope: EdgeScope, at?: Date): Promise<EdgeSample[]> {
  const [rps, ok, tls, reasons, p50, p95, p99] = await Promise.all(
    [
      edgeRps(scope),
      edgeSuccessRps(scope),
      edgeTlsRps(scope),
      edgeNoTlsReasons(scope),
      edgeLatencyQuantile(scope, 0.5),
      edgeLatencyQuantile(scope, 0.95),
      edgeLatencyQuantile(scope, 0.99),
    ].map((q) => prom.instant(q, at)),
  );
  const labels = HOP_LABELS[scope.hop];
  const maps = [rps, ok, tls, reasons, p50, p95, p99].map((s) => groupBy(s ?? [], labels));
  const [rpsBy, okBy, tlsBy, reasonsBy, p50By, p95By, p99By] = maps as Array<Map<string, Sample[]>>;
  const edges: EdgeSample[] = [];
  for (const [key, [first]] of rpsBy!) {
    if (!first) continue;
    const l = first.labels;
    const ref = (hop: Hop): [Ref, Ref] =>
      hop === 'client-service'
        ? [
            { namespace: l.namespace ?? '', name: l.deployment ?? '' },
            { namespace: l.dst_namespace ?? '', name: l.dst_service ?? '' },
          ]
        : [
            { namespace: l.dst_namespace ?? '', name: l.dst_service ?? '' },
            { namespace: l.dst_namespace ?? '', name: l.dst_deployment ?? '' },
          ];
    const [from, to] = ref(scope.hop);
    // Unmeshed destinations carry no discovery labels: they cannot be placed on the graph.
    if (!from.name || !to.name) continue;
    edges.push({
      from,
      to,
      rps: num(first.value),
      success: num(okBy!.get(key)?.[0]?.value),
      tls: num(tlsBy!.get(key)?.[0]?.value),
      noTlsReasons: [...new Set((reasonsBy!.get(key) ?? []).map((s) => s.labels.no_tls_reason ?? ''))]
        .filter(Boolean)
        .sort(),
      p50: num(p50By!.get(key)?.[0]?.value),
      p95: num(p95By!.get(key)?.[0]?.value),
      p99: num(p99By!.get(key)?.[0]?.value),
    });
  }
  return edges;
}

async function fetchWorkloads(prom: PrometheusClient, scope: StatsScope, at?: Date): Promise<WorkloadSample[]> {
  const [pods, rps, ok, p50, p95, p99] = await Promise.all(
    [
      statsMeshedPods(scope),
      statsRps(scope),
      statsSuccessRps(scope),
      statsLatencyQuantile(scope, 0.5),
      statsLatencyQuantile(scope, 0.95),
      statsLatencyQuantile(scope, 0.99),
    ].map((q) => prom.instant(q, at)),
  );
  const labels = ['namespace', 'deployment'];
  const [podsBy, rpsBy, okBy, p50By, p95By, p99By] = [pods, rps, ok, p50, p95, p99].map((s) =>
    groupBy(s ?? [], labels),
  ) as Array<Map<string, Sample[]>>;
  const keys = new Set([...podsBy!.keys(), ...rpsBy!.keys()]);
  const out: WorkloadSample[] = [];
  for (const key of keys) {
    const [namespace = '', name = ''] = key.split('\u0000');
    if (!name) continue;
    const v = (m: Map<string, Sample[]>) => num(m.get(key)?.[0]?.value);
    out.push({
      namespace,
      name,
      meshedPods: v(podsBy!) ?? 0,
      rps: v(rpsBy!),
      success: v(okBy!),
      p50: v(p50By!),
      p95: v(p95By!),
      p99: v(p99By!),
    });
  }
  return out;
}

export async function fetchTrafficSamples(
  prom: PrometheusClient,
  namespace: string | null,
  window: string,
  at?: Date,
): Promise<TrafficSamples> {
  const [workloads, clientService, serviceWorkload] = await Promise.all([
    fetchWorkloads(prom, { groupBy: 'deployment', namespace, window }, at),
    fetchHop(prom, { hop: 'client-service', namespace, window }, at),
    fetchHop(prom, { hop: 'service-workload', namespace, window }, at),
  ]);
  return { workloads, clientService, serviceWorkload };
}
