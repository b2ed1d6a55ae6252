import { tapParts } from '@meshviz/api-client/testing';
import { describe, expect, it } from 'vitest';
import { RequestLog } from './request-log';
import { formatBytes, formatTapTime, peerDetail, peerLabel, statusText, summarize } from './request-summary';

function summaryOf(shape: Parameters<typeof tapParts>[0], parts = 3) {
  const log = new RequestLog(1);
  log.addAll(tapParts(shape).slice(0, parts));
  return summarize(log.at(0)!);
}

describe('summarize', () => {
  it('reads a finished request from its three parts', () => {
    expect(summaryOf({ id: 'a', method: 'POST', path: '/charge', status: 201, latencyMs: 12.5, bytes: 2048 })).toMatchObject({
      direction: 'outbound',
      source: 'web/web-0',
      destination: 'reviews/reviews-0',
      method: 'POST',
      authority: 'reviews.bookshop.svc.cluster.local',
      path: '/charge',
      status: 201,
      latencyMs: 12.5,
      bytes: 2048,
      outcome: 'success',
    });
  });

  it('is in flight until the end arrives, unless the status already failed', () => {
    expect(summaryOf({ id: 'a' }, 1)).toMatchObject({ outcome: 'pending', status: null, latencyMs: null });
    expect(summaryOf({ id: 'a' }, 2)).toMatchObject({ outcome: 'pending', status: 200 });
    expect(summaryOf({ id: 'a', status: 500 }, 2).outcome).toBe('failure');
  });

  it('fails on 5xx, on a failing gRPC status and on a reset, as the proxy’s metrics count them', () => {
    expect(summaryOf({ id: 'a', status: 503 }).outcome).toBe('failure');
    expect(summaryOf({ id: 'a', status: 404 }).outcome).toBe('success');
    expect(summaryOf({ id: 'a', status: 200, grpcStatus: 14 }).outcome).toBe('failure');
    expect(summaryOf({ id: 'a', status: 200, grpcStatus: 5 }).outcome).toBe('success');
    expect(summaryOf({ id: 'a', reset: 'ECONNRESET' }).outcome).toBe('failure');
  });
});

describe('policy decisions', () => {
  const refused = {
    denied: true,
    server: 'server/payments-http',
    route: 'HTTPRoute/charge',
    authorization: null,
    reason: 'no authorization of server/payments-http allows client scraper.outside.serviceaccount.identity.meshviz.cluster.local',
  };

  function inbound(authzOn: number[], authz: TapAuthzShape) {
    const log = new RequestLog(1);
    log.addAll(
      tapParts({ id: 'a', direction: 'inbound', method: 'POST', path: '/charge', status: 403 }).map((part, i) =>
        authzOn.includes(i) ? { ...part, authz } : part,
      ),
    );
    return summarize(log.at(0)!);
  }

  it('reads the decision from whichever part carries it; a refusal is denied, yet a success to the metrics', () => {
    expect(inbound([0], refused)).toMatchObject({ denied: true, authz: refused, status: 403, outcome: 'success' });
    expect(inbound([1, 2], refused)).toMatchObject({ denied: true, authz: refused });
  });

  it('is not denied when policy let it in, or said nothing (outbound parts carry no decision)', () => {
    const allowed = { denied: false, server: 'server/payments-http', route: 'HTTPRoute/charge', authorization: 'authorizationpolicy/web-charges' };
    expect(inbound([0], allowed)).toMatchObject({ denied: false, authz: allowed });
    expect(summaryOf({ id: 'b' })).toMatchObject({ denied: false, authz: null });
  });
});

type TapAuthzShape = NonNullable<Parameters<typeof summarize>[0]['parts'][number]['authz']>;

describe('words and numbers of a row', () => {
  it('says what the status was', () => {
    expect(statusText(summaryOf({ id: 'a', status: 200, grpcStatus: 14 }))).toBe('200 · gRPC Unavailable (14)');
    expect(statusText(summaryOf({ id: 'a', status: 502, reset: 'ECONNRESET' }))).toBe('502 · reset: ECONNRESET');
    expect(statusText(summaryOf({ id: 'a' }, 1))).toBe('in flight');
  });

  it("reads a policy refusal as the mesh's answer, not a failure, as the metrics count it", () => {
    const refused = summaryOf({ id: 'a', status: 403, reset: 'unauthorized' });
    expect(refused.outcome).toBe('success');
    expect(statusText(refused)).toBe('403 · unauthorized');
    expect(summaryOf({ id: 'a', status: 404, reset: 'route_not_found' }).outcome).toBe('success');
    expect(summaryOf({ id: 'a', status: 503, reset: 'no_endpoints' }).outcome).toBe('failure');
  });

  it('names peers by workload and pod, else by address', () => {
    expect(peerLabel({ addr: '10.0.0.1:80', namespace: 'shop', deployment: 'web', pod: 'web-0' })).toBe('web/web-0');
    expect(peerLabel({ addr: '127.0.0.1:53700', namespace: '', deployment: '', pod: '' })).toBe('127.0.0.1:53700');
    expect(peerLabel({ addr: '', namespace: '', deployment: '', pod: '' })).toBe('unknown');
  });

  it("names an inbound mTLS client whose pod the proxy cannot see by its identity", () => {
    const identity = 'scraper.outside.serviceaccount.identity.meshviz.cluster.local';
    expect(peerLabel({ addr: '127.0.0.1:53700', namespace: '', deployment: '', pod: '', identity })).toBe('scraper.outside');
    expect(peerDetail({ addr: '127.0.0.1:53700', namespace: '', deployment: '', pod: '', identity })).toBe(`identity ${identity} · 127.0.0.1:53700`);
  });

  it('formats bytes and times', () => {
    expect([formatBytes(71), formatBytes(1536), formatBytes(3 * 1024 * 1024), formatBytes(null)]).toEqual(['71 B', '1.5 KiB', '3.0 MiB', '—']);
    const at = new Date(2026, 0, 2, 3, 4, 5, 67).getTime() + 0.4;
    expect(formatTapTime(at)).toBe('03:04:05.067');
    expect(formatTapTime(null)).toBe('—');
  });
});
