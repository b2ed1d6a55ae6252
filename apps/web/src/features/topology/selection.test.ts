import { describe, expect, it } from 'vitest';
import { testTopology } from '../../testing/topology-fixture';
import { findNode, resolveSelection, selectionWorkload, workloadOf } from './selection';

const graph = testTopology();
const node = (id: string) => graph.nodes.find((n) => n.id === id);

describe('resolveSelection', () => {
  it('finds nodes and edges, with the edge ends', () => {
    expect(resolveSelection(graph, 'deployment/shop/web')).toMatchObject({ kind: 'node', node: { name: 'web' } });
    const edge = resolveSelection(graph, 'deployment/shop/web->service/shop/catalog');
    expect(edge).toMatchObject({ kind: 'edge', source: { name: 'web' }, target: { kind: 'service', name: 'catalog' } });
  });

  it('is null for namespaces, unknown ids and no selection', () => {
    expect(resolveSelection(graph, 'namespace/shop')).toBeNull();
    expect(resolveSelection(graph, 'gone')).toBeNull();
    expect(resolveSelection(graph, null)).toBeNull();
    expect(resolveSelection(undefined, 'deployment/shop/web')).toBeNull();
  });
});

describe('findNode', () => {
  it('tells a service from the workload of the same name', () => {
    expect(findNode(graph, 'service', 'shop', 'catalog')?.id).toBe('service/shop/catalog');
    expect(findNode(graph, 'deployment', 'shop', 'catalog')?.id).toBe('deployment/shop/catalog');
    expect(findNode(graph, 'service', 'shop', 'web')).toBeUndefined();
    expect(findNode(graph, 'deployment', 'billing', 'catalog')).toBeUndefined();
  });
});

describe('workloadOf', () => {
  it('is the deployment itself, or the one deployment a service forwards to', () => {
    expect(workloadOf(graph, node('deployment/shop/web'))?.id).toBe('deployment/shop/web');
    expect(workloadOf(graph, node('service/shop/catalog'))?.id).toBe('deployment/shop/catalog');
    expect(workloadOf(graph, node('namespace/shop'))).toBeNull();
    expect(workloadOf(graph, undefined)).toBeNull();
  });

  it('describes an edge by the workload it calls', () => {
    const edge = resolveSelection(graph, 'deployment/shop/web->service/shop/catalog');
    expect(edge && selectionWorkload(graph, edge)?.id).toBe('deployment/shop/catalog');
  });
});
