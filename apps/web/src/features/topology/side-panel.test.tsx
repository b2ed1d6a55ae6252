import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW } from '../../lib/view-params';
import { TestIds } from '../../testids';
import { testEdge, testNode } from '../../testing/topology-fixture';
import { resolveSelection } from './selection';
import { SidePanel } from './side-panel';

const SCRAPER = 'scraper.outside.serviceaccount.identity.meshviz.cluster.local';
const scraper = testNode('deployment', 'outside', 'scraper', { identity: SCRAPER });
const payments = testNode('deployment', 'billing', 'payments', { identity: 'payments.billing.serviceaccount.identity.meshviz.cluster.local' });

function panelOf(edge: ReturnType<typeof testEdge>): string {
  const graph = { nodes: [scraper, payments], edges: [edge] };
  const selection = resolveSelection(graph, edge.id)!;
  return renderToStaticMarkup(
    <QueryClientProvider client={new QueryClient()}>
      <SidePanel graph={graph} selection={selection} view={DEFAULT_VIEW} window="1m" query="" onClose={() => {}} />
    </QueryClientProvider>,
  );
}

const denied = (html: string) => {
  const start = html.indexOf(`data-testid="${TestIds.topologyPanelDenied}"`);
  return start < 0 ? '' : html.slice(html.indexOf('>', start) + 1, html.indexOf('</div>', start));
};
const text = (html: string) => html.replace(/<\/p>/g, ' ').replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();

describe('topology side panel of an edge', () => {
  it('says what policy refused and from which client identity (short, full on hover)', () => {
    const html = panelOf(testEdge(scraper.id, payments.id, { deniedRps: 2.5, clientId: SCRAPER, serverId: payments.identity }));
    expect(text(denied(html))).toMatch(/^Refused by policy: 2\.50 rps from scraper\.outside No authorization/);
    expect(denied(html)).toContain(`title="${SCRAPER}"`);
    // The mTLS padlock and the two identities are still there.
    expect(html).toContain('mTLS');
    expect(html).toContain(`data-testid="${TestIds.topologyPanelIdentities}"`);
  });

  it('falls back to the client workload’s identity, then to its name when it has none', () => {
    const unsecured = { secured: false, mtlsShare: 0, deniedRps: 1 };
    expect(text(denied(panelOf(testEdge(scraper.id, payments.id, unsecured))))).toContain('from scraper.outside');
    const anonymous = { ...scraper, identity: undefined };
    const graph = { nodes: [anonymous, payments], edges: [testEdge(scraper.id, payments.id, unsecured)] };
    const html = renderToStaticMarkup(
      <QueryClientProvider client={new QueryClient()}>
        <SidePanel graph={graph} selection={resolveSelection(graph, graph.edges[0]!.id)!} view={DEFAULT_VIEW} window="1m" query="" onClose={() => {}} />
      </QueryClientProvider>,
    );
    expect(text(denied(html))).toContain('from outside/scraper (no mTLS identity)');
  });

  it('says nothing of policy when nothing was refused', () => {
    expect(denied(panelOf(testEdge(scraper.id, payments.id)))).toBe('');
    expect(denied(panelOf(testEdge(scraper.id, payments.id, { deniedRps: 0 })))).toBe('');
  });
});
