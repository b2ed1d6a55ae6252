import type { StatsKind, StatsRow, TcpStats } from '@meshviz/mesh-types';
import type { Sample } from '../../prometheus/client.js';
import { histogramsBy } from '../../rates/latency.js';
import { keyOf, ratesBy } from '../../rates/response-rates.js';

/** Prometheus' answers behind one stats call. */
export interface StatsAnswers {
  /** `count by (<podLabels>) (proxy_build_info…)`. */
  pods: readonly Sample[];
  /** Response rates by the row labels (and, for services, dst_deployment) and classification. */
  rates: readonly Sample[];
  /** Latency buckets by `le` and the row labels. */
  buckets: readonly Sample[];
  /** With tcp=true: open connections, read and written bytes per second, by the row labels. */
  tcp?: { open: readonly Sample[]; read: readonly Sample[]; written: readonly Sample[] };
}

export interface RowShape {
  kind: StatsKind;
  /** Labels naming a row in rates, buckets and tcp answers, namespace first. */
  rowLabels: readonly string[];
  /** Labels of the meshed pods answer (scrape-time), namespace first. */
  podLabels: readonly string[];
}

const finite = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : v);
/** A rate of 0 means series exist but nothing moved in the window: no traffic, shown as null. */
const moving = (v: number | undefined): number | null => {
  const f = finite(v);
  return f !== null && f > 0 ? f : null;
};

const sumBy = (samples: readonly Sample[], key: (l: Record<string, string>) => string): Map<string, number> => {
  const out = new Map<string, number>();
  for (const s of samples) out.set(key(s.labels), (out.get(key(s.labels)) ?? 0) + s.value);
  return out;
};

/**
 * Folds the answers into one row per resource, sorted by namespace and name. Rows are every meshed resource of
 * the kind (services: none, Prometheus knows them only from their callers' series) and every one found in the
 * traffic answers. Row keys are label values joined, so a row named by dst_namespace/dst_deployment meets the
 * meshed pods counted by namespace/deployment.
 */
export function statsRowsOf(shape: RowShape, a: StatsAnswers): StatsRow[] {
  const key = keyOf(shape.rowLabels);
  const podKey = keyOf(shape.podLabels);
  const podsBy = sumBy(a.pods, podKey);
  const ratesByKey = ratesBy(a.rates, key);
  const latency = histogramsBy(a.buckets, key);
  const tcp = a.tcp && { open: sumBy(a.tcp.open, key), read: sumBy(a.tcp.read, key), written: sumBy(a.tcp.written, key) };

  const rows = new Map<string, { namespace: string; name: string }>();
  const addRow = (labels: Record<string, string>, names: readonly string[]) => {
    const namespace = labels[names[0] ?? ''] ?? '';
    const name = labels[names[names.length - 1] ?? ''];
    // Series without the naming label (e.g. a target without a deployment) are not rows of this kind.
    if (name) rows.set(keyOf(names)(labels), { namespace, name });
  };
  if (shape.kind !== 'service') for (const s of a.pods) addRow(s.labels, shape.podLabels);
  for (const s of [...a.rates, ...(a.tcp ? [...a.tcp.open, ...a.tcp.read, ...a.tcp.written] : [])]) addRow(s.labels, shape.rowLabels);

  // A service's meshed pods are those of the workloads its callers reached through it (dst_deployment).
  const backing = new Map<string, Set<string>>();
  if (shape.kind === 'service') {
    for (const s of a.rates) {
      const workload = s.labels.dst_deployment;
      if (!workload) continue;
      const k = key(s.labels);
      const set = backing.get(k) ?? new Set<string>();
      set.add(`${s.labels.dst_namespace ?? ''}\u0000${workload}`);
      backing.set(k, set);
    }
  }
  const meshed = (k: string): number =>
    shape.kind === 'service' ? [...(backing.get(k) ?? [])].reduce((n, w) => n + (podsBy.get(w) ?? 0), 0) : (podsBy.get(k) ?? 0);

  const out: StatsRow[] = [...rows].map(([k, { namespace, name }]) => {
    const r = ratesByKey.get(k);
    const live = moving(r?.total);
    const row: StatsRow = {
      kind: shape.kind,
      namespace,
      name,
      meshedPods: meshed(k),
      rps: live,
      successRate: live === null ? null : Math.min(1, (finite(r?.success) ?? 0) / live),
      latencyMs: latency.latency(k),
    };
    if (tcp) {
      const t: TcpStats = {
        openConnections: finite(tcp.open.get(k)),
        readBytesPerSec: moving(tcp.read.get(k)),
        writeBytesPerSec: moving(tcp.written.get(k)),
      };
      row.tcp = t;
    }
    return row;
  });
  out.sort((x, y) => x.namespace.localeCompare(y.namespace) || x.name.localeCompare(y.name));
  return out;
}
