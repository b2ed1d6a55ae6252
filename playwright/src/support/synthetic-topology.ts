/**
 * A large made-up topology in the API's shape, for measuring the graph: `nodes` workloads and services spread over
 * namespaces (plus one compound node per namespace) and `edges` calls that flow left to right through layers.
 * Seeded, so every run draws the same graph.
 */
export interface SyntheticTopology {
  nodes: Record<string, unknown>[];
  edges: Record<string, unknown>[];
}

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const HEALTH = ['healthy', 'healthy', 'healthy', 'degraded', 'failing'] as const;

export function syntheticTopology(nodeCount = 500, edgeCount = 2000, namespaceCount = 10, layers = 6, seed = 7): SyntheticTopology {
  const rand = random(seed);
  const latency = () => ({ p50: 1 + rand() * 10, p95: 10 + rand() * 50, p99: 50 + rand() * 200 });
  const nodes: Record<string, unknown>[] = [];
  for (let n = 0; n < namespaceCount; n++) {
    nodes.push({ id: `namespace/ns-${n}`, kind: 'namespace', namespace: `ns-${n}`, name: `ns-${n}`, meshed: false, rps: null, successRate: null, latencyMs: { p50: null, p95: null, p99: null }, health: 'idle', dead: false });
  }
  const layerOf: number[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const namespace = `ns-${i % namespaceCount}`;
    const kind = i % 20 === 0 ? 'unmeshed' : i % 3 === 0 ? 'service' : 'deployment';
    const dead = kind === 'deployment' && i % 37 === 0;
    layerOf.push(kind === 'unmeshed' ? 0 : 1 + Math.floor(rand() * (layers - 1)));
    nodes.push({
      id: `${kind}/${namespace}/w-${i}`,
      kind,
      namespace,
      name: `w-${i}`,
      parent: `namespace/${namespace}`,
      meshed: kind === 'deployment' && !dead,
      rps: dead ? null : rand() * 50,
      successRate: dead ? null : 0.9 + rand() * 0.1,
      latencyMs: latency(),
      health: dead ? 'idle' : HEALTH[Math.floor(rand() * HEALTH.length)],
      dead,
    });
  }
  const workload = (i: number) => nodes[namespaceCount + i] as { id: string };
  const edges: Record<string, unknown>[] = [];
  const seen = new Set<string>();
  while (edges.length < edgeCount) {
    const a = Math.floor(rand() * nodeCount);
    const b = Math.floor(rand() * nodeCount);
    const [from, to] = layerOf[a]! < layerOf[b]! ? [a, b] : [b, a];
    if (from === to || layerOf[from] === layerOf[to]) continue;
    const id = `${workload(from).id}->${workload(to).id}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const secured = rand() < 0.5;
    edges.push({
      id,
      source: workload(from).id,
      target: workload(to).id,
      rps: rand() * 20,
      successRate: 0.9 + rand() * 0.1,
      latencyMs: latency(),
      mtlsShare: secured ? 1 : 0,
      secured,
      ...(secured ? {} : { insecureReason: 'no identity service in this mesh' }),
      health: HEALTH[Math.floor(rand() * HEALTH.length)],
    });
  }
  return { nodes, edges };
}
