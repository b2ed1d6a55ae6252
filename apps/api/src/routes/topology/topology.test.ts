import { ApiError, TopologyResponse } from '@meshviz/mesh-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { recordedPrometheus } from '../../testing/recorded-prometheus.js';
import { TOPOLOGY_QUERY_COUNT } from '../../topology/samples.js';

describe('GET /api/v1/topology against recorded Prometheus answers (the demo mesh)', () => {
  let prom: Awaited<ReturnType<typeof recordedPrometheus>>;
  beforeAll(async () => {
    prom = await recordedPrometheus(new URL('../../testing/fixtures/demo-mesh.json', import.meta.url));
  });
  afterAll(() => prom.close());

  it('returns workloads, services and edges client → service → workload', async () => {
    const app = buildApp({ config: { prometheusUrl: prom.url, prometheusTimeoutMs: 2000, logLevel: 'silent' } });
    const before = prom.queries.length;
    const res = await app.inject({ url: '/api/v1/topology?namespace=all&window=1m' });
    expect(res.statusCode).toBe(200);
    const topo = TopologyResponse.parse(res.json());
    expect(prom.queries.filter((q) => !q.startsWith('/')).length - before).toBeLessThanOrEqual(TOPOLOGY_QUERY_COUNT);
    const ids = topo.nodes.map((n) => n.id);
    for (const id of ['deployment/bookshop/web', 'service/bookshop/catalog', 'deployment/traffic/loadgen', 'namespace/billing']) {
      expect(ids).toContain(id);
    }
    const edge = topo.edges.find((e) => e.id === 'deployment/bookshop/web->service/bookshop/reviews');
    expect(edge?.rps).toBeGreaterThan(0);
    expect(edge?.successRate).toBeLessThan(0.95);
    expect(edge?.health).toBe('failing');
    expect(edge?.secured).toBe(false);
    expect(edge?.insecureReason).toMatch(/identity/);
    // Every edge points at nodes that exist, so cytoscape can load the graph as is.
    for (const e of topo.edges) {
      expect(ids).toContain(e.source);
      expect(ids).toContain(e.target);
    }
  });

  it('rejects a window shorter than four scrape intervals', async () => {
    const app = buildApp({
      config: { prometheusUrl: prom.url, prometheusTimeoutMs: 2000, logLevel: 'silent', scrapeIntervalSeconds: 10 },
    });
    const res = await app.inject({ url: '/api/v1/topology?window=30s' });
    expect(res.statusCode).toBe(400);
    expect(ApiError.parse(res.json()).error.message).toMatch(/at least 40s/);
  });
});
