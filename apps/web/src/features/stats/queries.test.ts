import { ApiRequestError } from '@meshviz/api-client';
import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_VIEW, type ViewParams } from '../../lib/view-params';
import { workloadStatsQuery } from './queries';

describe('workloadStatsQuery', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('polls at the chosen refresh, but not from a hidden tab, and not at all when refresh is off', () => {
    const options = workloadStatsQuery('all');
    expect(options.refetchInterval).toBe(10_000);
    expect(options.refetchIntervalInBackground).toBe(false);
    expect(workloadStatsQuery('all', { ...DEFAULT_VIEW, refresh: '5s' }).refetchInterval).toBe(5_000);
    expect(workloadStatsQuery('all', { ...DEFAULT_VIEW, refresh: 'off' }).refetchInterval).toBe(false);
  });

  it('asks the same-origin API for deployments in the namespace and passes the abort signal', async () => {
    const calls: { url: string; signal: AbortSignal | null | undefined }[] = [];
    vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
      calls.push({ url, signal: init?.signal });
      return Response.json({ window: '1m', rows: [] });
    });
    const client = new QueryClient();
    const data = await client.fetchQuery(workloadStatsQuery('billing'));
    expect(data).toEqual({ window: '1m', rows: [] });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe('/api/v1/stats?kind=deployment&namespace=billing&window=1m');
    expect(calls[0]?.signal).toBeInstanceOf(AbortSignal);
  });

  it('looks back at the end of an absolute range, with the chosen window, and stops polling', () => {
    const view: ViewParams = { window: '5m', time: { kind: 'absolute', from: 1_700_000_000, to: 1_700_003_600 }, refresh: '5s' };
    const options = workloadStatsQuery('all', view);
    expect(options.queryKey[1]).toEqual({ kind: 'deployment', namespace: 'all', window: '5m', at: '1700003600' });
    expect(options.refetchInterval).toBe(false);
  });

  it('does not retry an answer from the API, only a lost connection', () => {
    const retry = workloadStatsQuery('all').retry as (count: number, error: Error) => boolean;
    expect(retry(0, new ApiRequestError(503, 'API_PROMETHEUS_UNAVAILABLE', 'down'))).toBe(false);
    expect(retry(0, new ApiRequestError(0, 'WEB_UNREACHABLE', 'gone'))).toBe(true);
    expect(retry(2, new ApiRequestError(0, 'WEB_UNREACHABLE', 'gone'))).toBe(false);
  });
});
