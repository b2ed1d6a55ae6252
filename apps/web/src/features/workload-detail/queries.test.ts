import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_VIEW } from '../../lib/view-params';
import { routesQuery } from '../routes/queries';
import { timeseriesQuery } from '../timeseries/queries';
import { topologyQuery } from '../topology/queries';
import { workloadDetailQuery } from './queries';

/** Every factory of the detail page's calls: the URL it asks, the abort signal it passes, the schema it checks. */
describe('query factories', () => {
  const calls: { url: string; signal: AbortSignal | null | undefined }[] = [];
  afterEach(() => {
    calls.length = 0;
    vi.unstubAllGlobals();
  });

  function answer(body: unknown) {
    vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
      calls.push({ url, signal: init?.signal });
      return Response.json(body);
    });
  }

  it('workload detail: escaped path, window, signal', async () => {
    const detail = {
      window: '1m',
      workload: { kind: 'deployment', namespace: 'shop', name: 'web', meshedPods: 1, rps: 1, successRate: 1, latencyMs: { p50: 1, p95: 1, p99: 1 } },
      upstreams: [],
      downstreams: [],
      pods: [],
      graph: { nodes: [], edges: [] },
    };
    answer(detail);
    await expect(new QueryClient().fetchQuery(workloadDetailQuery('shop', 'web'))).resolves.toEqual(detail);
    expect(calls[0]?.url).toBe('/api/v1/workloads/shop/web?window=1m');
    expect(calls[0]?.signal).toBeInstanceOf(AbortSignal);
  });

  it('routes: namespace, workload, window', async () => {
    answer({ window: '1m', namespace: 'shop', workload: 'web', rows: [] });
    await new QueryClient().fetchQuery(routesQuery({ kind: 'workload', namespace: 'shop', name: 'web' }, { ...DEFAULT_VIEW, window: '5m' }));
    expect(calls[0]?.url).toBe('/api/v1/routes?namespace=shop&workload=web&window=5m');
  });

  it('timeseries: a route of a workload over an absolute range, with no polling', async () => {
    const view = { ...DEFAULT_VIEW, time: { kind: 'absolute' as const, from: 1_700_000_000, to: 1_700_007_200 } };
    const options = timeseriesQuery({ kind: 'route', namespace: 'shop', name: 'web', route: '' }, view);
    expect(options.refetchInterval).toBe(false);
    answer({ start: 1, end: 2, step: 1, rateWindow: 4, series: { rps: [], successRate: [], p50: [], p95: [], p99: [] } });
    await new QueryClient().fetchQuery(options);
    expect(calls[0]?.url).toBe('/api/v1/timeseries?kind=route&namespace=shop&name=web&route=&range=7200s&end=1700007200');
  });

  it('timeseries of a workload and topology follow the relative range and refresh', async () => {
    const options = timeseriesQuery({ kind: 'deployment', namespace: 'shop', name: 'web' }, { ...DEFAULT_VIEW, refresh: '30s' });
    expect(options.refetchInterval).toBe(30_000);
    expect(options.refetchIntervalInBackground).toBe(false);
    answer({ start: 1, end: 2, step: 1, rateWindow: 4, series: { rps: [], successRate: [], p50: [], p95: [], p99: [] } });
    await new QueryClient().fetchQuery(options);
    expect(calls[0]?.url).toBe('/api/v1/timeseries?kind=deployment&namespace=shop&name=web&range=1h');
    answer({ window: '1m', thresholds: { healthy: 0.99, degraded: 0.95 }, nodes: [], edges: [] });
    await new QueryClient().fetchQuery(topologyQuery('all'));
    expect(calls[1]?.url).toBe('/api/v1/topology?namespace=all&window=1m');
  });

  it('rejects an answer that does not match the schema', async () => {
    answer({ window: '1m' });
    await expect(new QueryClient().fetchQuery({ ...workloadDetailQuery('shop', 'web'), retry: false })).rejects.toMatchObject({
      code: 'WEB_INVALID_RESPONSE',
    });
  });
});
