import { ApiRequestError } from '@meshviz/api-client';
import { describe, expect, it } from 'vitest';
import { currentOutage, isPrometheusOutage, PROMETHEUS_UNAVAILABLE, type QueryHealth, sameOutage } from './outage';

const down = new ApiRequestError(503, PROMETHEUS_UNAVAILABLE, 'Prometheus is not reachable; metrics cannot be read right now');
const other = new ApiRequestError(400, 'API_INVALID_PARAM', 'window: must be one of 1m, 5m');

const q = (error: unknown, errorUpdatedAt: number, dataUpdatedAt = 0): QueryHealth => ({
  error,
  errorUpdatedAt,
  dataUpdatedAt,
  hasData: dataUpdatedAt > 0,
});

describe('isPrometheusOutage', () => {
  it("is the API's Prometheus code only", () => {
    expect(isPrometheusOutage(down)).toBe(true);
    expect(isPrometheusOutage(other)).toBe(false);
    expect(isPrometheusOutage(new Error('boom'))).toBe(false);
    expect(isPrometheusOutage(null)).toBe(false);
    expect(isPrometheusOutage('API_PROMETHEUS_UNAVAILABLE')).toBe(false);
  });
});

describe('currentOutage', () => {
  it('is null while no query fails for Prometheus, whatever else fails', () => {
    expect(currentOutage([], null)).toBeNull();
    expect(currentOutage([q(null, 0, 100), q(other, 200)], null)).toBeNull();
  });

  it('dates the outage from the first failure and the data from the newest on screen', () => {
    const outage = currentOutage([q(down, 1_500, 1_000), q(down, 1_200, 900), q(null, 0, 1_300), q(down, 1_700)], null);
    expect(outage).toEqual({ since: 1_200, lastDataAt: 1_000, lastTriedAt: 1_700, queries: 3 });
  });

  it('says no data arrived when none of the failing queries had any', () => {
    expect(currentOutage([q(down, 500)], null)?.lastDataAt).toBeNull();
  });

  it('keeps the start of an outage already shown as later asks fail', () => {
    const first = currentOutage([q(down, 1_000, 800)], null);
    const later = currentOutage([q(down, 5_000, 800)], first);
    expect(later?.since).toBe(1_000);
    expect(later?.lastTriedAt).toBe(5_000);
    expect(sameOutage(first, later)).toBe(false);
    expect(sameOutage(later, currentOutage([q(down, 5_000, 800)], later))).toBe(true);
    expect(sameOutage(null, null)).toBe(true);
    expect(sameOutage(first, null)).toBe(false);
  });
});
