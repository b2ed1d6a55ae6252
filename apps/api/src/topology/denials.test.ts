import type { TopologyEdge } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { applyDenials } from './denials.js';
import { edgeId, nodeId } from './graph.js';

const id = (sa: string) => `${sa}.shop.serviceaccount.identity.meshviz.cluster.local`;
const web = nodeId('deployment', 'shop', 'web');
const apiSvc = nodeId('service', 'shop', 'api');
const api = nodeId('deployment', 'shop', 'api');

function edge(source: string, target: string): TopologyEdge {
  return {
    id: edgeId(source, target),
    source,
    target,
    rps: 1,
    successRate: 1,
    latencyMs: { p50: 1, p95: 1, p99: 1 },
    mtlsShare: 1,
    secured: true,
    health: 'healthy',
  };
}

describe('denials step', () => {
  const graph = { nodes: [], edges: [edge(web, apiSvc), edge(apiSvc, api)] };
  const servers = new Map([[edgeId(web, apiSvc), [{ namespace: 'shop', name: 'api' }]]]);

  it("adds what the servers refused from each of the client workload's identities, on its edge only", () => {
    // web's pods hold two identities (a service account being renamed, say): refusals of both are web's.
    const out = applyDenials(
      graph,
      [
        { namespace: 'shop', name: 'api', clientId: id('web'), rps: 0.5 },
        { namespace: 'shop', name: 'api', clientId: id('web-v2'), rps: 0.25 },
        { namespace: 'shop', name: 'api', clientId: id('batch'), rps: 2 },
      ],
      [
        { namespace: 'shop', name: 'web', identity: id('web') },
        { namespace: 'shop', name: 'web', identity: id('web-v2') },
      ],
      servers,
    );
    expect(out.edges.map((e) => [e.id, e.deniedRps])).toEqual([
      [edgeId(web, apiSvc), 0.75],
      // A service stands for all its callers: no one identity to read refusals of.
      [edgeId(apiSvc, api), undefined],
    ]);
  });

  it('leaves the graph as it is without refusals, or without the identity of the client', () => {
    const denial = [{ namespace: 'shop', name: 'api', clientId: id('web'), rps: 0.5 }];
    expect(applyDenials(graph, [], [{ namespace: 'shop', name: 'web', identity: id('web') }], servers)).toBe(graph);
    expect(applyDenials(graph, denial, [], servers).edges.map((e) => e.deniedRps)).toEqual([undefined, undefined]);
    // Refusals by a workload that did not answer this client through the service are not its edge's.
    expect(
      applyDenials(graph, [{ ...denial[0]!, name: 'api-canary' }], [{ namespace: 'shop', name: 'web', identity: id('web') }], servers)
        .edges[0]?.deniedRps,
    ).toBeUndefined();
  });
});
