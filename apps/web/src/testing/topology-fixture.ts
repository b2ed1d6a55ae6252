import type { TopologyEdge, TopologyNode, TopologyResponse } from '@meshviz/mesh-types';

/** Small topologies for tests: a namespace with web → catalog through the catalog service, and a dead payments. */
const none = { rps: null, successRate: null, latencyMs: { p50: null, p95: null, p99: null } };

export function testNode(kind: TopologyNode['kind'], namespace: string, name: string, extra: Partial<TopologyNode> = {}): TopologyNode {
  const id = kind === 'namespace' ? `namespace/${namespace}` : `${kind}/${namespace}/${name}`;
  const parent = kind === 'namespace' ? undefined : `namespace/${namespace}`;
  return { id, kind, namespace, name, ...(parent ? { parent } : {}), meshed: kind === 'deployment', ...none, health: 'idle', dead: false, ...extra };
}

export function testEdge(source: string, target: string, extra: Partial<TopologyEdge> = {}): TopologyEdge {
  return {
    id: `${source}->${target}`,
    source,
    target,
    rps: 12.345,
    successRate: 0.995,
    latencyMs: { p50: 2, p95: 9, p99: 45 },
    mtlsShare: 1,
    secured: true,
    health: 'healthy',
    ...extra,
  };
}

export function testTopology(): TopologyResponse {
  const web = testNode('deployment', 'shop', 'web', { rps: 10, successRate: 0.95, health: 'degraded' });
  const catalogSvc = testNode('service', 'shop', 'catalog', { rps: 12.345, successRate: 0.995, health: 'healthy' });
  const catalog = testNode('deployment', 'shop', 'catalog', { rps: 12.345, successRate: 0.995, health: 'healthy' });
  const payments = testNode('deployment', 'billing', 'payments', { meshed: false, dead: true });
  return {
    window: '1m',
    thresholds: { healthy: 0.99, degraded: 0.95 },
    nodes: [testNode('namespace', 'shop', 'shop'), testNode('namespace', 'billing', 'billing'), web, catalogSvc, catalog, payments],
    edges: [
      testEdge(web.id, catalogSvc.id),
      testEdge(catalogSvc.id, catalog.id),
      testEdge(web.id, payments.id, { rps: null, successRate: null, secured: false, mtlsShare: null, insecureReason: 'no identity', health: 'idle' }),
    ],
  };
}
