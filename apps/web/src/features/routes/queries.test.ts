import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { routesQuery } from './queries';

describe('routesQuery', () => {
  const urls: string[] = [];
  afterEach(() => {
    urls.length = 0;
    vi.unstubAllGlobals();
  });
  const none = { p50: null, p95: null, p99: null };
  const row = { route: 'GET /reviews', rps: 1, successRate: 0.9, latencyMs: none, actualRps: 1.1, actualSuccessRate: 0.8 };
  function answer(body: unknown) {
    vi.stubGlobal('fetch', async (url: string) => {
      urls.push(url);
      return Response.json(body);
    });
  }

  it("asks for a service's routes with service= and never workload=, keyed apart from the workload of the same name", async () => {
    const body = {
      window: '1m',
      namespace: 'bookshop',
      workload: '',
      service: 'reviews',
      rows: [{ ...row, direction: 'outbound', server: { rps: 1.1, successRate: 0.8, latencyMs: none } }],
    };
    answer(body);
    const service = routesQuery({ kind: 'service', namespace: 'bookshop', name: 'reviews' });
    await expect(new QueryClient().fetchQuery(service)).resolves.toEqual(body);
    expect(urls).toEqual(['/api/v1/routes?namespace=bookshop&service=reviews&window=1m']);
    const workload = routesQuery({ kind: 'workload', namespace: 'bookshop', name: 'reviews' });
    expect(service.queryKey).not.toEqual(workload.queryKey);
  });
});
