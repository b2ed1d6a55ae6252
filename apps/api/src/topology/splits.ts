import type { HealthThresholds, TopologyEdge, TopologyNode } from '@meshviz/mesh-types';
import { edgeId, type Graph, nodeId, sortGraph } from './graph.js';
import { healthOf } from './health.js';
import type { Ref } from './samples.js';
import { node } from './traffic-map.js';

/** What a parent Service's callers' proxies sent to one of its backends, all routes together, per second. */
export interface SplitSample {
  parent: Ref;
  backend: Ref;
  /** The routes (`<kind>/<name>`) that sent it requests in the window. */
  routes: string[];
  /** Requests, attempts included (null: no series). */
  rps: number | null;
  /** Responses, and those that succeeded (null: no series). */
  responses: number | null;
  success: number | null;
}

/** A backend of one route of a parent as configured: its weight and that weight's share of the route's weights. */
export interface ConfiguredSplitSample {
  parent: Ref;
  /** `<kind>/<name>`. */
  route: string;
  backend: Ref;
  weight: number;
  share: number | null;
}

/**
 * One weight for a backend across its parent's routes: that of the routes that carried traffic in the window (all
 * routes when none did), or null when they give it different weights (the service page has them per route).
 */
function configuredMark(candidates: readonly ConfiguredSplitSample[], active: ReadonlySet<string>) {
  const live = candidates.filter((c) => active.has(c.route));
  const used = live.length > 0 ? live : candidates;
  const first = used[0];
  if (!first || used.some((c) => c.weight !== first.weight || c.share !== first.share)) return { weight: null, configuredShare: null };
  return { weight: first.weight, configuredShare: first.share };
}

const refKey = (r: Ref) => `${r.namespace}/${r.name}`;
const same = (a: Ref, b: Ref) => a.namespace === b.namespace && a.name === b.name;

/**
 * Step 7: splits. A service whose routes send requests to other backends than itself (measured, or configured)
 * gets an edge to each backend Service, carrying the backend's measured share of the service's routed requests
 * (`share`), its configured `weight` and `configuredShare`, and the requests and success rate its callers' proxies
 * counted for it. The backend that is the service itself is its own workloads: its share goes on the service's
 * edges to them, those not behind another backend of the split. The callers' own edges stay as their proxies
 * labelled them (a backend's requests carry the backend's discovery labels), so a caller may also show an edge
 * straight to a backend Service: the split edge says which service sent it there.
 */
export function applySplits(
  g: Graph,
  measured: readonly SplitSample[],
  configured: readonly ConfiguredSplitSample[],
  thresholds: HealthThresholds,
): Graph {
  const parents = new Map<string, { parent: Ref; backends: Map<string, Ref> }>();
  for (const s of [...measured, ...configured]) {
    const p = parents.get(refKey(s.parent)) ?? { parent: s.parent, backends: new Map() };
    p.backends.set(refKey(s.backend), s.backend);
    parents.set(refKey(s.parent), p);
  }
  const measuredOf = new Map(measured.map((s) => [`${refKey(s.parent)}>${refKey(s.backend)}`, s]));
  const configuredOf = new Map<string, ConfiguredSplitSample[]>();
  for (const c of configured) {
    const key = `${refKey(c.parent)}>${refKey(c.backend)}`;
    configuredOf.set(key, [...(configuredOf.get(key) ?? []), c]);
  }
  const activeRoutes = new Map<string, Set<string>>();
  for (const m of measured) {
    const set = activeRoutes.get(refKey(m.parent)) ?? new Set();
    for (const r of m.routes) set.add(r);
    activeRoutes.set(refKey(m.parent), set);
  }

  const nodes = new Map(g.nodes.map((n) => [n.id, n]));
  const edges = new Map(g.edges.map((e) => [e.id, e]));
  const ensureService = (r: Ref): TopologyNode => {
    const id = nodeId('service', r.namespace, r.name);
    let n = nodes.get(id);
    if (!n) {
      n = node('service', r.namespace, r.name, false);
      nodes.set(id, n);
      const ns = nodeId('namespace', r.namespace, r.namespace);
      if (!nodes.has(ns)) nodes.set(ns, node('namespace', r.namespace, r.namespace, false));
    }
    return n;
  };

  const measuredParents = new Set(measured.map((s) => refKey(s.parent)));
  const received = new Map<string, { rps: number; responses: number; success: number }>();
  for (const { parent, backends } of parents.values()) {
    const list = [...backends.values()];
    if (!list.some((b) => !same(b, parent))) continue;
    const source = nodeId('service', parent.namespace, parent.name);
    // A configured split of a service the graph does not show (no traffic in its scope) is not drawn.
    if (!nodes.has(source) && !measuredParents.has(refKey(parent))) continue;
    ensureService(parent);
    const total = list.reduce((a, b) => a + (measuredOf.get(`${refKey(parent)}>${refKey(b)}`)?.rps ?? 0), 0);
    const others = new Set(list.filter((b) => !same(b, parent)).map((b) => nodeId('service', b.namespace, b.name)));
    const behindOthers = new Set(g.edges.filter((e) => others.has(e.source)).map((e) => e.target));

    for (const backend of list) {
      const key = `${refKey(parent)}>${refKey(backend)}`;
      const m = measuredOf.get(key);
      const marks = {
        share: total > 0 ? (m?.rps ?? 0) / total : null,
        ...configuredMark(configuredOf.get(key) ?? [], activeRoutes.get(refKey(parent)) ?? new Set()),
      };
      if (same(backend, parent)) {
        for (const e of edges.values()) {
          if (e.source === source && e.target.startsWith('deployment/') && !behindOthers.has(e.target)) edges.set(e.id, { ...e, ...marks });
        }
        continue;
      }
      const target = ensureService(backend).id;
      const rps = m?.rps !== null && m?.rps !== undefined && m.rps > 0 ? m.rps : null;
      const successRate = m?.responses && m.responses > 0 ? Math.min(1, (m.success ?? 0) / m.responses) : null;
      // A split edge is logical: the requests themselves went from the callers' proxies to the backend's endpoints,
      // on the callers' own edges to the backend Service. It is as secured as those hops are.
      const hops = [...edges.values()].filter((e) => e.target === target && e.source.startsWith('deployment/') && e.rps !== null);
      const secured = hops.length > 0 && hops.every((e) => e.secured);
      const shares = hops.map((e) => e.mtlsShare).filter((v): v is number => v !== null);
      const edge: TopologyEdge = {
        id: edgeId(source, target),
        source,
        target,
        rps,
        successRate,
        latencyMs: { p50: null, p95: null, p99: null },
        mtlsShare: shares.length > 0 ? Math.min(...shares) : null,
        secured,
        ...(secured || hops.length === 0 ? {} : { insecureReason: hops.find((e) => !e.secured)?.insecureReason ?? 'a caller reached this backend without mTLS' }),
        ...marks,
        health: healthOf(successRate, thresholds),
      };
      edges.set(edge.id, edge);
      const r = received.get(target) ?? { rps: 0, responses: 0, success: 0 };
      r.rps += m?.rps ?? 0;
      r.responses += m?.responses ?? 0;
      r.success += m?.success ?? 0;
      received.set(target, r);
    }
  }
  // A backend Service no caller addressed itself in the window: what the splits sent it is all it received.
  for (const [id, r] of received) {
    const n = nodes.get(id);
    if (!n || n.rps !== null || r.rps <= 0) continue;
    const successRate = r.responses > 0 ? Math.min(1, r.success / r.responses) : null;
    nodes.set(id, { ...n, rps: r.rps, successRate, health: healthOf(successRate, thresholds) });
  }
  return sortGraph({ nodes: [...nodes.values()], edges: [...edges.values()] });
}
