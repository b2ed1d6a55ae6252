import { ApiError, TimeseriesResponse } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { recordedApi } from '../../testing/recorded-api.js';
import { matrixSums, queryOf } from '../../testing/recorded-sums.js';
import { TIMESERIES_QUERY_COUNT } from './timeseries-queries.js';

const AT = 1795335535;

describe('GET /api/v1/timeseries against recorded Prometheus answers (the demo mesh, 1 s scrapes)', () => {
  const { prom, app } = recordedApi('demo-mesh.json');

  it('gives every step a rate, a success rate and quantiles, from two range queries', async () => {
    const before = prom().promql().length;
    const res = await app().inject({ url: `/api/v1/timeseries?namespace=bookshop&name=web&range=1m&end=${AT}` });
    expect(res.statusCode).toBe(200);
    expect(prom().promql().length - before).toBe(TIMESERIES_QUERY_COUNT);
    const body = TimeseriesResponse.parse(res.json());
    expect(body).toMatchObject({ end: AT, start: AT - 60, step: 1, rateWindow: 4 });
    expect(body.series.rps).toHaveLength(61);
    const full = body.series.rps.filter(([, v]) => v !== null);
    expect(full.length).toBeGreaterThan(50);
    for (const [t, p50] of body.series.p50) {
      const p99 = body.series.p99.find(([u]) => u === t)?.[1] ?? null;
      if (p50 !== null && p99 !== null) expect(p50).toBeLessThanOrEqual(p99);
    }
    // Each step's success rate is what web's proxies recorded at that step: successes over all responses.
    const rates = prom().recorded[queryOf(prom().promql().slice(before), 'rate(response_total')];
    const all = matrixSums(rates, () => true);
    const ok = matrixSums(rates, (l) => l.classification === 'success');
    expect(body.series.successRate).toHaveLength(61);
    for (const [t, s] of body.series.successRate) {
      const total = all.get(t) ?? 0;
      if (total === 0) expect(s).toBeNull();
      else expect(s).toBeCloseTo((ok.get(t) ?? 0) / total, 12);
    }
    expect(body.series.successRate.filter(([, s]) => s !== null).length).toBe(full.length);
  });

  it('refuses a route series without a name', async () => {
    const res = await app().inject({ url: '/api/v1/timeseries?kind=route&namespace=bookshop' });
    expect(res.statusCode).toBe(400);
    expect(ApiError.parse(res.json()).error.param).toBe('name');
  });
});
