import type { TopRow } from '@meshviz/mesh-types';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { TestIds } from '../../testids';
import { TopTable } from './top-table';

const row = (source: string, count: number, successRate: number | null): TopRow => ({
  source,
  destination: 'bookshop/reviews',
  method: 'GET',
  path: '/reviews',
  count,
  successRate,
  bestMs: 3.5,
  worstMs: 300,
  lastMs: null,
});

describe('TopTable', () => {
  it('sorts as asked, marks the sorted column for assistive technology and shows no data as such', () => {
    const html = renderToStaticMarkup(
      <TopTable rows={[row('a', 2, 1), row('b', 9, 0.5)]} sort={{ key: 'count', order: 'desc' }} onSort={() => {}} caption="Top" />,
    );
    const sources = [...html.matchAll(/data-source="(\w+)"/g)].map((m) => m[1]);
    expect(sources).toEqual(['b', 'a']);
    expect(html).toMatch(/<th scope="col"[^>]*aria-sort="descending"><button[^>]*data-sort-key="count"/);
    expect(html.match(new RegExp(`data-testid="${TestIds.topSort}"`, 'g'))).toHaveLength(9);
    expect(html).toContain('50.00%');
    expect(html).toContain('aria-label="no data"');
  });

  it('shows at most `limit` rows and plain heads when it does not sort', () => {
    const html = renderToStaticMarkup(
      <TopTable rows={[row('a', 2, 1), row('b', 9, 1), row('c', 5, 1)]} sort={{ key: 'count', order: 'desc' }} caption="Top" limit={2} />,
    );
    expect([...html.matchAll(/data-source="(\w+)"/g)].map((m) => m[1])).toEqual(['b', 'c']);
    expect(html).not.toContain('<button');
  });
});
