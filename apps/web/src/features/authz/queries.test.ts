import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_VIEW } from '../../lib/view-params';
import { authzQuery } from './queries';

describe('authzQuery', () => {
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

  it('asks for the workload over the page’s window, with the abort signal', async () => {
    const body = { resource: { kind: 'deployment', namespace: 'billing', name: 'payments' }, window: '5m', rows: [], denials: [] };
    answer(body);
    await expect(new QueryClient().fetchQuery(authzQuery('billing', 'payments', { ...DEFAULT_VIEW, window: '5m' }))).resolves.toEqual(body);
    expect(calls[0]?.url).toBe('/api/v1/authz?kind=deployment&namespace=billing&name=payments&window=5m');
    expect(calls[0]?.signal).toBeInstanceOf(AbortSignal);
  });

  it('polls at the chosen interval (never from a hidden tab), and not when refreshing is off', () => {
    expect(authzQuery('billing', 'payments', { ...DEFAULT_VIEW, refresh: '30s' })).toMatchObject({
      refetchInterval: 30_000,
      refetchIntervalInBackground: false,
    });
    expect(authzQuery('billing', 'payments', { ...DEFAULT_VIEW, refresh: 'off' }).refetchInterval).toBe(false);
  });

  it('rejects an answer that does not match the contract', async () => {
    answer({ window: '1m', rows: [{ server: 'payments-http' }] });
    await expect(new QueryClient().fetchQuery({ ...authzQuery('billing', 'payments'), retry: false })).rejects.toMatchObject({
      code: 'WEB_INVALID_RESPONSE',
    });
  });
});
