import { describe, expect, it } from 'vitest';
import { testEdge, testNode, testTopology } from '../../testing/topology-fixture';
import { toElements } from './elements';
import { planGraphUpdate } from './update-plan';

function stateOf(topology: ReturnType<typeof testTopology>) {
  return { nodeIds: new Set(topology.nodes.map((n) => n.id)), edgeIds: new Set(topology.edges.map((e) => e.id)) };
}

describe('planGraphUpdate', () => {
  it('lays out the first graph', () => {
    const plan = planGraphUpdate({ nodeIds: new Set(), edgeIds: new Set() }, toElements(testTopology()));
    expect(plan.relayout).toBe(true);
  });

  it('does not lay out again when a refresh brings the same node ids with new numbers', () => {
    const before = testTopology();
    const after = testTopology();
    after.nodes = after.nodes.map((n) => ({ ...n, rps: (n.rps ?? 0) + 1, health: 'failing' }));
    after.edges = after.edges.map((e) => ({ ...e, rps: 99, successRate: 0.5 }));
    // Same ids in another order are the same set.
    after.nodes.reverse();
    expect(planGraphUpdate(stateOf(before), toElements(after))).toEqual({ relayout: false, related: true, removeIds: [], addIds: [] });
  });

  it('adds and removes edges in place when only edges change', () => {
    const before = testTopology();
    const after = testTopology();
    const [first, second] = after.edges;
    const extra = testEdge('deployment/shop/catalog', 'deployment/shop/web');
    after.edges = [second!, extra];
    const plan = planGraphUpdate(stateOf(before), toElements(after));
    expect(plan.relayout).toBe(false);
    expect(plan.removeIds).toEqual([first!.id, before.edges[2]!.id]);
    expect(plan.addIds).toEqual([extra.id]);
  });

  it('lays out again when a node appears, keeping the view when old nodes remain', () => {
    const before = testTopology();
    const added = testTopology();
    added.nodes.push(testNode('deployment', 'shop', 'reviews'));
    expect(planGraphUpdate(stateOf(before), toElements(added))).toMatchObject({ relayout: true, related: true });
    const other = { nodes: [testNode('deployment', 'elsewhere', 'x')], edges: [] };
    expect(planGraphUpdate(stateOf(before), toElements(other))).toMatchObject({ relayout: true, related: false });
  });

  it('removes a vanished node and its edges in place, without a layout', () => {
    const before = testTopology();
    const removed = testTopology();
    removed.nodes = removed.nodes.filter((n) => n.name !== 'payments');
    const plan = planGraphUpdate(stateOf(before), toElements(removed));
    expect(plan.relayout).toBe(false);
    expect(plan.removeIds).toEqual(['deployment/billing/payments', 'deployment/shop/web->deployment/billing/payments']);
  });

  it('keeps an empty graph as it is', () => {
    expect(planGraphUpdate({ nodeIds: new Set(), edgeIds: new Set() }, []).relayout).toBe(false);
  });
});
