import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_VIEW } from '../../lib/view-params';
import { serviceDetailQuery } from './queries';

describe('serviceDetailQuery', () => {
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
  const none = { p50: null, p95: null, p99: null };
  const detail = {
    window: '5m',
    service: { namespace: 'shop', name: 'items', authority: 'items.shop.svc.cluster.local', rps: null, successRate: null, latencyMs: none, mtlsShare: null },
    upstreams: [],
    backends: [],
    graph: { nodes: [], edges: [] },
  };

  it('asks for the escaped path with the window, passing the abort signal, and polls with the view', async () => {
    answer(detail);
    const options = serviceDetailQuery('shop', 'it ems', { ...DEFAULT_VIEW, window: '5m', refresh: '30s' });
    expect(options.refetchInterval).toBe(30_000);
    await expect(new QueryClient().fetchQuery(options)).resolves.toEqual(detail);
    expect(calls[0]?.url).toBe('/api/v1/services/shop/it%20ems?window=5m');
    expect(calls[0]?.signal).toBeInstanceOf(AbortSignal);
  });

  it('rejects an answer that does not match the schema', async () => {
    answer({ ...detail, service: { rps: 0 } });
    await expect(new QueryClient().fetchQuery({ ...serviceDetailQuery('shop', 'items'), retry: false })).rejects.toMatchObject({
      code: 'WEB_INVALID_RESPONSE',
    });
  });
});
