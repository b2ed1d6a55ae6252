import { tapParts } from '@meshviz/api-client/testing';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { TestIds } from '../../testids';
import { RequestLog } from './request-log';
import { RequestPanel } from './request-panel';
import { TAP_ROW_HEIGHT, TapTable } from './tap-table';

const rowsOf = (html: string) => html.split(`data-testid="${TestIds.tapRow}"`).slice(1);

describe('TapTable', () => {
  it('renders a window of rows, not all of them, with spacers standing for the rest', () => {
    const log = new RequestLog(10_000);
    for (let i = 0; i < 10_000; i++) log.add(tapParts({ id: `p/web-0/${i}` })[0]);
    const html = renderToStaticMarkup(<TapTable rows={log} added={log.total} selectedId={null} onOpen={() => {}} label="Tapped requests" />);
    const rows = rowsOf(html);
    // Before the browser measures the view, only the overscan is rendered.
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(20);
    expect(html).toContain('aria-rowcount="10001"');
    expect(html).toContain(`height:${(10_000 - rows.length) * TAP_ROW_HEIGHT}px`);
    // Newest first.
    expect(rows[0]).toContain('data-request-id="p/web-0/9999"');
  });

  it('marks a failed request with an icon and words, and gives every row a button to open it', () => {
    const log = new RequestLog(10);
    log.addAll(tapParts({ id: 'ok', status: 200 }));
    log.addAll(tapParts({ id: 'bad', status: 503, latencyMs: 12.5, bytes: 2048 }));
    log.add(tapParts({ id: 'flying' })[0]);
    const html = renderToStaticMarkup(<TapTable rows={log} added={log.total} selectedId="bad" onOpen={() => {}} label="Tapped requests" />);
    const [flying, bad, ok] = rowsOf(html);
    expect(bad).toContain('data-outcome="failure"');
    expect(bad).toMatch(/<svg[^>]*aria-hidden="true"/);
    expect(bad).toContain('failed: </span>503');
    expect(bad).toContain('12.5 ms');
    expect(bad).toContain('2.0 KiB');
    expect(bad).toContain('aria-expanded="true"');
    expect(ok).toContain('data-outcome="success"');
    expect(ok).not.toContain('failed:');
    expect(flying).toContain('data-outcome="pending"');
    expect(flying).toContain('in flight');
    for (const row of [flying, bad, ok]) expect(row).toContain('<button type="button"');
  });
});

const REFUSED = {
  denied: true,
  server: 'server/payments-http',
  route: 'HTTPRoute/charge',
  authorization: null,
  reason: 'no authorization of server/payments-http allows client scraper.outside.serviceaccount.identity.meshviz.cluster.local',
};

/** A POST /charge policy refused at the receiving proxy: its 403, with the decision on the request part. */
function refusedRequest(id: string) {
  const [init, response, end] = tapParts({ id, direction: 'inbound', method: 'POST', path: '/charge', status: 403 });
  return [{ ...init, authz: REFUSED }, response, end];
}

describe('TapTable: requests policy refused', () => {
  it('badges a denied request with the sign and the word, its reason on hover; others carry no badge', () => {
    const log = new RequestLog(10);
    log.addAll(tapParts({ id: 'ok', direction: 'inbound', status: 200 }));
    log.addAll(refusedRequest('refused'));
    const html = renderToStaticMarkup(<TapTable rows={log} added={log.total} selectedId={null} onOpen={() => {}} label="Tapped requests" />);
    const [refused, ok] = rowsOf(html);
    expect(refused).toContain('data-denied="true"');
    expect(refused).toContain('data-outcome="success"');
    expect(refused).toMatch(new RegExp(`data-testid="${TestIds.tapDenied}"><span[^>]*><svg[^>]*aria-hidden="true"`));
    expect(refused).toMatch(/<\/svg> denied<\/span>/);
    expect(refused).toContain('title="403 · denied by policy: no authorization of server/payments-http allows client scraper.outside');
    expect(ok).not.toContain('data-denied');
    expect(ok).not.toContain(TestIds.tapDenied);
  });
});

describe('RequestPanel', () => {
  it('shows why policy refused a request, with its server, route and the authorization that was missing', () => {
    const log = new RequestLog(1);
    log.addAll(refusedRequest('billing/payments-0/9'));
    const html = renderToStaticMarkup(<RequestPanel request={log.at(0)!} onClose={() => {}} />);
    const start = html.indexOf(`data-testid="${TestIds.tapPanelAuthz}"`);
    expect(start).toBeGreaterThan(0);
    const policy = html.slice(start, html.indexOf('</section>', start));
    expect(policy).toContain('data-denied="true"');
    expect(policy).toContain('Refused by policy');
    expect(policy).toContain(`data-testid="${TestIds.tapPanelAuthzReason}">${REFUSED.reason}</p>`);
    expect(policy).toContain('<dt>Server</dt><dd>server/payments-http</dd>');
    expect(policy).toContain('<dt>Route</dt><dd>HTTPRoute/charge</dd>');
    expect(policy).toContain('<dt>Authorization</dt><dd>none allowed it</dd>');
  });

  it('says which authorization let an inbound request in, and nothing of policy for outbound parts', () => {
    const log = new RequestLog(2);
    const [init, response, end] = tapParts({ id: 'in', direction: 'inbound' });
    log.addAll([{ ...init, authz: { ...REFUSED, denied: false, authorization: 'authorizationpolicy/web-charges', reason: undefined } }, response, end]);
    log.addAll(tapParts({ id: 'out' }));
    const allowed = renderToStaticMarkup(<RequestPanel request={log.at(1)!} onClose={() => {}} />);
    expect(allowed).toContain('Allowed by policy');
    expect(allowed).toContain('<dd>authorizationpolicy/web-charges</dd>');
    expect(allowed).not.toContain('data-denied');
    expect(renderToStaticMarkup(<RequestPanel request={log.at(0)!} onClose={() => {}} />)).not.toContain(TestIds.tapPanelAuthz);
  });


  it('shows every part with its headers exactly as received, redacted values as such', () => {
    const log = new RequestLog(1);
    log.addAll(tapParts({ id: 'shop/web-0/7', grpcStatus: 14 }));
    const html = renderToStaticMarkup(<RequestPanel request={log.at(0)!} onClose={() => {}} />);
    const parts = html.split(`data-testid="${TestIds.tapPart}"`).slice(1);
    expect(parts.map((p) => /data-part="(\w+)"/.exec(p)?.[1])).toEqual(['requestInit', 'responseInit', 'responseEnd']);
    expect(parts[0]).toMatch(/<th scope="row">authorization<\/th><td><span[^>]*title="The proxy removed this value[^"]*">\[redacted\]<\/span>/);
    expect(parts[0]).toContain('<th scope="row">host</th><td>reviews.bookshop.svc.cluster.local</td>');
    expect(parts[2]).toContain('Unavailable (14)');
    expect(html).toContain('shop/web-0/7');
  });
});
