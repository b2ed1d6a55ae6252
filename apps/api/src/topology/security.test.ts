import type { TopologyEdge, TopologyNode } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { edgeId, type Graph, nodeId } from './graph.js';
import { applySecurity } from './security.js';

const WEB = 'web.shop.serviceaccount.identity.meshviz.cluster.local';
const DB = 'db.shop.serviceaccount.identity.meshviz.cluster.local';

function node(kind: TopologyNode['kind'], name: string): TopologyNode {
  return {
    id: nodeId(kind, 'shop', name),
    kind,
    namespace: 'shop',
    name,
    meshed: true,
    rps: 1,
    successRate: 1,
    latencyMs: { p50: 1, p95: 1, p99: 1 },
    health: 'healthy',
    dead: false,
  };
}

function edge(source: string, target: string, mtlsShare: number): TopologyEdge {
  return {
    id: edgeId(source, target),
    source,
    target,
    rps: 1,
    successRate: 1,
    latencyMs: { p50: 1, p95: 1, p99: 1 },
    mtlsShare,
    secured: false,
    health: 'healthy',
  };
}

const web = nodeId('deployment', 'shop', 'web');
const dbSvc = nodeId('service', 'shop', 'db');
const db = nodeId('deployment', 'shop', 'db');

describe('security step', () => {
  it('names the identities of both ends of a secured edge, and each workload its own', () => {
    const g: Graph = {
      nodes: [node('deployment', 'web'), node('service', 'db'), node('deployment', 'db')],
      edges: [edge(web, dbSvc, 1), edge(dbSvc, db, 1)],
    };
    const out = applySecurity(g, new Map(), [
      { namespace: 'shop', name: 'web', identity: WEB },
      { namespace: 'shop', name: 'db', identity: DB },
    ]);
    expect(out.edges[0]).toMatchObject({ secured: true, clientId: WEB, serverId: DB });
    // A service stands for its callers' proxies: no single client identity, the server's is known.
    expect(out.edges[1]).toMatchObject({ secured: true, serverId: DB });
    expect(out.edges[1]?.clientId).toBeUndefined();
    expect(out.nodes.find((n) => n.id === web)?.identity).toBe(WEB);
    expect(out.nodes.find((n) => n.id === dbSvc)?.identity).toBeUndefined();
  });

  it('names no identity on an edge that is not all mTLS, and says why', () => {
    const g: Graph = { nodes: [node('deployment', 'web'), node('service', 'db')], edges: [edge(web, dbSvc, 0.5)] };
    const reasons = new Map([[edgeId(web, dbSvc), ['not_provided_by_service_discovery']]]);
    const [e] = applySecurity(g, reasons, [{ namespace: 'shop', name: 'web', identity: WEB }]).edges;
    expect(e).toMatchObject({ secured: false, insecureReason: '50% not mTLS: discovery gave no identity for the destination' });
    expect(e?.clientId).toBeUndefined();
  });
});
