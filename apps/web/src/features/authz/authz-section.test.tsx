import type { AuthzResponse } from '@meshviz/mesh-types';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { TestIds } from '../../testids';
import { AuthorizationView, type AuthzState } from './authz-section';

const SCRAPER = 'scraper.outside.serviceaccount.identity.meshviz.cluster.local';

/** billing/payments behind a Server that lets web in and refuses everyone else; one port still audits. */
const answer: AuthzResponse = {
  resource: { kind: 'deployment', namespace: 'billing', name: 'payments' },
  window: '1m',
  rows: [
    {
      server: { kind: 'server', name: 'payments-http', port: '8080' },
      route: { kind: 'HTTPRoute', name: 'charge' },
      authorization: { kind: 'authorizationpolicy', name: 'web-charges' },
      allowedRps: 4.5,
      deniedRps: 0,
      auditedRps: 0,
      successRate: 0.95,
      latency: { p50: 5.5, p95: 9.25, p99: 12 },
    },
    {
      server: { kind: 'server', name: 'payments-http', port: '8080' },
      route: { kind: 'HTTPRoute', name: 'charge' },
      authorization: null,
      allowedRps: 0,
      deniedRps: 2.5,
      auditedRps: 0,
      successRate: null,
      latency: { p50: null, p95: null, p99: null },
    },
    {
      server: { kind: 'default', name: 'audit', port: '9090' },
      route: { kind: 'default', name: 'default' },
      authorization: { kind: 'audit', name: 'audit' },
      allowedRps: 0.25,
      deniedRps: 0,
      auditedRps: 0.25,
      successRate: 1,
      latency: { p50: 1, p95: 2, p99: 3 },
    },
  ],
  denials: [
    { server: { kind: 'server', name: 'payments-http', port: '8080' }, route: { kind: 'HTTPRoute', name: 'charge' }, clientId: SCRAPER, deniedRps: 2 },
    { server: { kind: 'server', name: 'payments-http', port: '8080' }, route: { kind: 'HTTPRoute', name: 'charge' }, clientId: '', deniedRps: 0.5 },
  ],
};

const ok = (data: AuthzResponse | undefined): AuthzState => ({ data, error: null, pending: false, stale: false, updatedAt: 0 });

function render(state: AuthzState, customRange = false): string {
  return renderToStaticMarkup(<AuthorizationView subject="billing/payments" window="1m" customRange={customRange} state={state} />);
}

const rowsOf = (html: string, testId: string) =>
  html
    .split(`data-testid="${testId}"`)
    .slice(1)
    .map((row) => row.slice(0, row.indexOf('</tr>')));
const cells = (row: string) => [...row.matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim());

describe('AuthorizationView with an answer', () => {
  const html = render(ok(answer));

  it('has the columns of the authorization table in order', () => {
    const table = html.slice(html.indexOf(`data-testid="${TestIds.authzTable}"`), html.indexOf(`data-testid="${TestIds.authzDenials}"`));
    const headers = [...table.matchAll(/<th scope="col"[^>]*>(.*?)<\/th>/g)].map((m) => m[1]);
    expect(headers).toEqual(['Route', 'Server', 'Authorization', 'Unauthorized', 'Success', 'RPS', 'P50', 'P95', 'P99']);
  });

  it('shows each server × route × authorization, a dash where nothing allowed, and the numbers with units', () => {
    const rows = rowsOf(html, TestIds.authzRow).map(cells);
    expect(rows).toEqual([
      ['default', 'default:audit :9090', 'audit/audit audit: would deny 0.250 rps', '0', '100.00%', '0.250', '1.00 ms', '2.00 ms', '3.00 ms'],
      ['HTTPRoute/charge', 'server/payments-http :8080', 'authorizationpolicy/web-charges', '0', '95.00%', '4.50', '5.50 ms', '9.25 ms', '12.0 ms'],
      ['HTTPRoute/charge', 'server/payments-http :8080', '—', 'refused: 2.50', '—', '0', '—', '—', '—'],
    ]);
  });

  it('highlights refused traffic with the no-entry sign and words, not colour alone', () => {
    const [audit, allowed, refused] = rowsOf(html, TestIds.authzRow);
    expect(refused).toContain('data-authorization=""');
    expect(refused).toContain('data-denied-rps="2.5"');
    expect(refused).toMatch(/data-testid="authz-unauthorized"[^>]*>(<svg[^>]*aria-hidden="true")/);
    expect(allowed).not.toContain('refused:');
    expect(audit).toContain('audit: would deny');
    expect(html).toContain('Refused by policy: 2.50 rps.');
  });

  it('lists who was refused, busiest first, by identity (short, full on hover) or as a client without one', () => {
    const rows = rowsOf(html, TestIds.authzDenialRow);
    expect(rows.map(cells)).toEqual([
      ['scraper.outside', 'server/payments-http :8080', 'HTTPRoute/charge', '2.00'],
      ['no mTLS identity (plaintext client)', 'server/payments-http :8080', 'HTTPRoute/charge', '0.500'],
    ]);
    expect(rows[0]).toContain(`data-client-id="${SCRAPER}"`);
    expect(rows[0]).toContain(`title="${SCRAPER}"`);
  });
});

describe('AuthorizationView states', () => {
  it('says there was no policy traffic when the window holds no decision', () => {
    const html = render(ok({ ...answer, rows: [], denials: [] }));
    expect(html).toContain(`data-testid="${TestIds.authzEmpty}"`);
    expect(html).toContain('No policy traffic to billing/payments in the last 1m');
    expect(html).not.toContain(TestIds.authzError);
    expect(html).not.toContain(TestIds.authzTable);
  });

  it('says nothing was refused when every request was let in', () => {
    const html = render(ok({ ...answer, rows: [answer.rows[0]!], denials: [] }));
    expect(html).toContain(`data-testid="${TestIds.authzDenialsEmpty}"`);
    expect(html).toContain('The proxies of billing/payments refused no request in the last 1m.');
    expect(html).not.toContain('Refused by policy');
  });

  it('names what failed when the API call fails, and is not mistaken for an empty window', () => {
    const error = Object.assign(new Error('Prometheus refused the query: bad_data'), { code: 'API_PROMETHEUS_ERROR' });
    const html = render({ data: undefined, error, pending: false, stale: false, updatedAt: 0 });
    expect(html).toContain(`data-testid="${TestIds.authzError}"`);
    expect(html).toContain('The authorization numbers of billing/payments could not be loaded (GET /api/v1/authz failed).');
    expect(html).toContain('Prometheus refused the query: bad_data');
    expect(html).toContain('API_PROMETHEUS_ERROR');
    expect(html).not.toContain(TestIds.authzEmpty);
  });

  it('leaves an unreachable Prometheus to the page frame\'s banner, and is not mistaken for an empty window', () => {
    const error = Object.assign(new Error('Prometheus did not answer'), { code: 'API_PROMETHEUS_UNAVAILABLE' });
    const html = render({ data: undefined, error, pending: false, stale: false, updatedAt: 0 });
    expect(html).not.toContain('could not be loaded');
    expect(html).not.toContain(TestIds.authzEmpty);
    expect(html).not.toContain(TestIds.authzTable);
  });

  it('keeps the last good tables under the error', () => {
    const error = Object.assign(new Error('The dashboard server is not reachable.'), { code: 'WEB_UNREACHABLE' });
    const html = render({ data: answer, error, pending: false, stale: false, updatedAt: Date.now() });
    expect(html).toContain(TestIds.authzError);
    expect(html).toContain('Showing the last data received');
    expect(rowsOf(html, TestIds.authzRow)).toHaveLength(3);
  });

  it('shows a skeleton while the first answer is on the way, and says when a custom range does not apply', () => {
    expect(render({ data: undefined, error: null, pending: true, stale: false, updatedAt: 0 })).toContain('Loading authorization…');
    expect(render(ok(answer), true)).toContain('they do not follow the custom range');
  });
});
