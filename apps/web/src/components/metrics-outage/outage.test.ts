import { ApiRequestError } from '@meshviz/api-client';
import { describe, expect, it } from 'vitest';
import { currentOutage, isPrometheusOutage, outageOver, PROMETHEUS_UNAVAILABLE, type QueryHealth, sameOutage } from './outage';

const down = new ApiRequestError(503, PROMETHEUS_UNAVAILABLE, 'Prometheus is not reachable; metrics cannot be read right now');
const other = new ApiRequestError(400, 'API_INVALID_PARAM', 'window: must be one of 1m, 5m');

const q = (error: unknown, errorUpdatedAt: number, dataUpdatedAt = 0, extra: Partial<QueryHealth> = {}): QueryHealth => ({
  error,
  errorUpdatedAt,
  dataUpdatedAt,
  hasData: dataUpdatedAt > 0,
  status: error ? 'error' : dataUpdatedAt > 0 ? 'success' : 'pending',
  fetching: false,
  ...extra,
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

describe('outageOver', () => {
  const since = 10_000;
  it('is over once a query on screen has data from after the outage began', () => {
    expect(outageOver([q(null, 0, 12_000), q(null, 0, 0, { status: 'pending', fetching: true })], since)).toBe(true);
  });

  it('is not over while nothing is on screen, or queries still ask (a page just opened or come back to)', () => {
    expect(outageOver([], since)).toBe(false);
    expect(outageOver([q(null, 0, 0, { status: 'pending', fetching: true })], since)).toBe(false);
    // Data cached from before the outage, being asked for again.
    expect(outageOver([q(null, 0, 8_000, { fetching: true })], since)).toBe(false);
  });

  it('is over when the queries on screen have all settled without waiting for Prometheus', () => {
    expect(outageOver([q(new Error('other'), 11_000), q(null, 0, 8_000)], since)).toBe(true);
  });
});
