import { describe, expect, it } from 'vitest';
import { testEdge, testNode, testTopology } from '../../testing/topology-fixture';
import { drawnLabel, edgeClasses, edgeLabel, edgeWidth, nodeIdsOf, toElements } from './elements';

describe('toElements', () => {
  const elements = toElements(testTopology());
  const byId = new Map(elements.map((e) => [e.data.id, e]));

  it('makes one element per node and edge, nodes first', () => {
    expect(elements).toHaveLength(9);
    expect(elements.slice(0, 6).every((e) => e.group === 'nodes')).toBe(true);
    expect(elements.slice(6).every((e) => e.group === 'edges')).toBe(true);
  });

  it('keeps node fields as data, with the namespace as compound parent', () => {
    const web = byId.get('deployment/shop/web');
    expect(web?.data).toMatchObject({ kind: 'deployment', namespace: 'shop', name: 'web', parent: 'namespace/shop', label: 'web', rps: 10 });
    expect(byId.get('namespace/shop')?.data.parent).toBeUndefined();
  });

  it('classes nodes by kind and health, and marks dead ones', () => {
    expect(byId.get('deployment/shop/web')?.classes).toBe('deployment health-degraded');
    expect(byId.get('service/shop/catalog')?.classes).toBe('service health-healthy');
    expect(byId.get('deployment/billing/payments')?.classes).toBe('deployment health-idle dead');
    expect(byId.get('deployment/billing/payments')?.data.label).toBe('payments\n(no meshed pods)');
  });

  it('labels edges with rps, success rate and p99, and classes them by health and mTLS', () => {
    const edge = byId.get('deployment/shop/web->service/shop/catalog');
    expect(edge?.data).toMatchObject({ source: 'deployment/shop/web', target: 'service/shop/catalog' });
    expect(edge?.data.label).toBe('12.35 rps · 99.50%\np99 45.0 ms');
    expect(edge?.classes).toBe('health-healthy secured');
    expect(byId.get('deployment/shop/web->deployment/billing/payments')?.classes).toBe('health-idle insecure');
  });

  it('says "no traffic" on idle edges, never 0', () => {
    expect(edgeLabel({ rps: null, successRate: null, latencyMs: { p50: null, p95: null, p99: null } })).toBe('no traffic');
    expect(edgeLabel({ rps: 0.5, successRate: null, latencyMs: { p50: null, p95: null, p99: 0.25 } })).toBe('0.500 rps · —\np99 250 µs');
  });

  it('drops edges to unknown nodes and parents that are not in the graph', () => {
    const orphan = testNode('deployment', 'gone', 'x');
    const els = toElements({ nodes: [orphan], edges: [testEdge(orphan.id, 'deployment/gone/y')] });
    expect(els).toHaveLength(1);
    expect(els[0]?.data.parent).toBeUndefined();
  });

  it('widens edges with traffic, on a log scale, within 1..6 px', () => {
    expect(edgeWidth(null)).toBe(1);
    expect(edgeWidth(0)).toBe(1);
    expect(edgeWidth(1)).toBeLessThan(edgeWidth(100));
    expect(edgeWidth(1e9)).toBe(6);
  });

  it('lists node ids', () => {
    expect([...nodeIdsOf(elements)].sort()).toEqual([
      'deployment/billing/payments',
      'deployment/shop/catalog',
      'deployment/shop/web',
      'namespace/billing',
      'namespace/shop',
      'service/shop/catalog',
    ]);
  });

  it('marks an edge whose requests policy refused, with the denied rate first on its label', () => {
    const topology = testTopology();
    const [first] = topology.edges;
    const denied = { ...first!, deniedRps: 2.5 };
    const [element] = toElements({ nodes: topology.nodes, edges: [denied] }).filter((e) => e.group === 'edges');
    expect(element?.classes).toBe('health-healthy secured denied');
    expect(element?.data.label).toBe('denied 2.50 rps\n12.35 rps · 99.50%\np99 45.0 ms');
    // None refused (absent or 0): drawn as before.
    expect(edgeClasses({ ...first!, deniedRps: 0 })).toBe('health-healthy secured');
    expect(edgeLabel({ ...first!, deniedRps: 0 })).toBe('12.35 rps · 99.50%\np99 45.0 ms');
    expect(edgeLabel({ rps: null, successRate: null, latencyMs: { p50: null, p95: null, p99: null }, deniedRps: 0.25 })).toBe(
      'denied 0.250 rps\nno traffic',
    );
  });

  it("draws a split service's edges to its backends with the measured share and configured weight first", () => {
    const latency = { p50: null, p95: null, p99: null };
    // reviews → reviews-v2 (a backend Service): no latency of its own, dotted.
    const toBackend = {
      id: 'service/bookshop/reviews->service/bookshop/reviews-v2',
      source: 'service/bookshop/reviews',
      target: 'service/bookshop/reviews-v2',
      rps: 0.5,
      successRate: 0.9,
      latencyMs: latency,
      mtlsShare: null,
      secured: false,
      share: 0.1,
      weight: 10,
      configuredShare: 0.1,
      health: 'failing' as const,
    };
    expect(edgeLabel(toBackend)).toBe('split 10% · w 10\n0.500 rps · 90.00%');
    expect(edgeClasses(toBackend)).toBe('health-failing insecure split backend');
    // Drawn with the share and weight only: the requests are on the callers' own edges, the rest in the panel.
    expect(drawnLabel(toBackend)).toBe('split 10% · w 10');
    // reviews → its own workload: the usual hop, with the share of the backend that is reviews itself.
    const own = { ...toBackend, id: 'x', target: 'deployment/bookshop/reviews', rps: 4.5, latencyMs: { p50: 3, p95: 7.5, p99: 9.5 }, share: 0.9, weight: 90, configuredShare: 0.9 };
    expect(edgeLabel(own)).toBe('split 90% · w 90\n4.50 rps · 90.00%\np99 9.50 ms');
    expect(edgeClasses(own)).toBe('health-failing insecure split');
    expect(drawnLabel(own)).toBe(edgeLabel(own));
    // Configuration unknown, or no requests in the window: said, never shown as 0 %.
    expect(edgeLabel({ ...toBackend, weight: null, configuredShare: null })).toBe('split 10% · w ?\n0.500 rps · 90.00%');
    expect(edgeLabel({ ...toBackend, share: null, rps: null, successRate: null })).toBe('split no requests · w 10\nno traffic');
  });
});
