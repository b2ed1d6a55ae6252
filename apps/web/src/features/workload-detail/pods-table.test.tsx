import type { StatsRow } from '@meshviz/mesh-types';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { PodsTable } from './pods-table';

const pod = (name: string, restarts?: number): StatsRow => ({
  kind: 'pod',
  namespace: 'shop',
  name,
  meshedPods: 1,
  rps: 1,
  successRate: 1,
  latencyMs: { p50: 1, p95: 2, p99: 3 },
  ...(restarts === undefined ? {} : { restarts }),
});
const headers = (html: string) => [...html.matchAll(/<th scope="col"[^>]*>(.*?)<\/th>/g)].map((m) => m[1]);

describe('PodsTable restarts', () => {
  it('shows a Restarts column with each pod count when the runtime reports restarts', () => {
    const html = renderToStaticMarkup(<PodsTable rows={[pod('api-0', 3), pod('api-1', 0)]} window="1m" subject="shop/api" />);
    expect(headers(html)).toContain('Restarts');
    const rows = html.split('<tr').slice(2);
    expect(rows[0]).toMatch(/api-0.*<td[^>]*>3<\/td>/);
    expect(rows[1]).toMatch(/api-1.*<td[^>]*>0<\/td>/);
  });

  it('has no Restarts column where nothing reports them (a cluster without the local runtime)', () => {
    const html = renderToStaticMarkup(<PodsTable rows={[pod('api-0')]} window="1m" subject="shop/api" />);
    expect(headers(html)).not.toContain('Restarts');
  });
});
