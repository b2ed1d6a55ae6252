import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiRequestError } from '../../lib/api-request';
import { WORKLOADS_REFRESH_MS, workloadStatsQuery } from './queries';

describe('workloadStatsQuery', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('polls every 5 s, but not from a hidden tab', () => {
    const options = workloadStatsQuery('all');
    expect(options.refetchInterval).toBe(WORKLOADS_REFRESH_MS);
    expect(WORKLOADS_REFRESH_MS).toBe(5_000);
    expect(options.refetchIntervalInBackground).toBe(false);
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

  it('does not retry an answer from the API, only a lost connection', () => {
    const retry = workloadStatsQuery('all').retry as (count: number, error: Error) => boolean;
    expect(retry(0, new ApiRequestError(503, 'API_PROMETHEUS_UNAVAILABLE', 'down'))).toBe(false);
    expect(retry(0, new ApiRequestError(0, 'WEB_UNREACHABLE', 'gone'))).toBe(true);
    expect(retry(2, new ApiRequestError(0, 'WEB_UNREACHABLE', 'gone'))).toBe(false);
  });
});
