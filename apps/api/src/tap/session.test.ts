import type { TapEvent, TapQuery } from '@meshviz/mesh-types';
import { describe, expect, it, vi } from 'vitest';
import type { WireEvent } from './proxy-client.js';
import { type Observe, splitRate, TapSession } from './session.js';

const targets = ['a', 'b', 'c'].map((pod) => ({ namespace: 'shop', deployment: 'web', pod, tapAddr: `${pod}:4190` }));
const query = (max_rps: number): TapQuery => ({ namespace: 'shop', max_rps });

/** Records the streams a session opens and lets the test push wire events into them. */
function recordingObserve() {
  const streams: Array<{
    pod: string;
    maxRps: number;
    push: (e: WireEvent) => void;
    end: (err: Error | null) => void;
    cancelled: boolean;
  }> = [];
  const observe: Observe = (target, request, onEvent, onEnd) => {
    const s = { pod: target.pod, maxRps: request.maxRps, push: onEvent, end: onEnd, cancelled: false };
    streams.push(s);
    return {
      cancel: () => {
        s.cancelled = true;
      },
    };
  };
  return { streams, observe };
}

const request = (id: string): WireEvent[] => [
  { id, direction: 'inbound', event: 'requestInit', requestInit: { method: 'GET', scheme: 'http', authority: 'web', path: '/', headers: [], timestampMs: 1 } },
  { id, direction: 'inbound', event: 'responseInit', responseInit: { status: 200, headers: [], sinceRequestInitMs: 1 } },
  { id, direction: 'inbound', event: 'responseEnd', responseEnd: { grpcStatus: -1, reset: '', responseBytes: 2, sinceRequestInitMs: 2, sinceResponseInitMs: 1 } },
];

describe('splitRate', () => {
  it('never exceeds the total when it can, and gives every proxy at least one', () => {
    expect(splitRate(100, 3)).toEqual([34, 33, 33]);
    expect(splitRate(10, 10)).toEqual(Array(10).fill(1));
    expect(splitRate(2, 4)).toEqual([1, 1, 1, 1]);
    expect(splitRate(5, 0)).toEqual([]);
  });
});

describe('TapSession', () => {
  it('opens one stream per proxy, merges them, and ids each request by pod', () => {
    const { streams, observe } = recordingObserve();
    const events: TapEvent[] = [];
    const s = new TapSession(targets, query(100), observe, { event: (e) => events.push(e), drops() {}, upstreamError() {} });
    s.start();
    expect(streams.map((x) => [x.pod, x.maxRps])).toEqual([['a', 34], ['b', 33], ['c', 33]]);
    for (const e of request('1')) streams[0]!.push(e);
    for (const e of request('1')) streams[1]!.push(e);
    expect(events.map((e) => e.id)).toEqual(['shop/a/1', 'shop/a/1', 'shop/a/1', 'shop/b/1', 'shop/b/1', 'shop/b/1']);
    expect(events[2]?.responseEnd?.grpcStatus).toBeNull();
  });

  it("carries the proxy's policy decision, with null for no authorization and no reason when allowed", () => {
    const { streams, observe } = recordingObserve();
    const events: TapEvent[] = [];
    const s = new TapSession(targets.slice(0, 1), query(100), observe, { event: (e) => events.push(e), drops() {}, upstreamError() {} });
    s.start();
    const denied = { denied: true, server: 'server/web-http', route: 'HTTPRoute/books', authorization: '', reason: 'no authorization of server/web-http allows a client without mTLS (no mTLS: no_tls_from_remote) from 10.0.0.9' };
    const allowed = { denied: false, server: 'server/web-http', route: 'HTTPRoute/books', authorization: 'authorizationpolicy/anyone', reason: '' };
    for (const e of request('1')) streams[0]!.push({ ...e, authz: denied });
    for (const e of request('2')) streams[0]!.push({ ...e, authz: allowed });
    for (const e of request('3')) streams[0]!.push({ ...e, authz: null });
    expect(events[0]?.authz).toEqual({ ...denied, authorization: null });
    expect(events[3]?.authz).toEqual({ denied: false, server: 'server/web-http', route: 'HTTPRoute/books', authorization: 'authorizationpolicy/anyone' });
    expect(events[6]).not.toHaveProperty('authz');
  });

  it('keeps the total rate even when proxies each send their own share', () => {
    const { streams, observe } = recordingObserve();
    const ids = new Set<string>();
    const s = new TapSession(targets, query(2), observe, { event: (e) => ids.add(e.id), drops() {}, upstreamError() {} });
    s.start();
    for (const st of streams) for (const e of [...request('1'), ...request('2')]) st.push(e);
    // Three proxies at the 1 rps floor would give 3+; the session admits 2 whole requests and drops the rest whole.
    expect(ids.size).toBe(2);
  });

  it('holds the total cap over every second, not just on average', () => {
    vi.useFakeTimers();
    try {
      const { streams, observe } = recordingObserve();
      const admitted: number[] = [];
      const s = new TapSession(targets.slice(0, 2), query(10), observe, {
        event: (e) => {
          if (e.requestInit) admitted.push(performance.now());
        },
        drops() {},
        upstreamError() {},
      });
      s.start();
      // Each proxy offers a request every 20 ms for 5 s: five times the cap.
      for (let t = 0, id = 0; t < 5_000; t += 20) {
        vi.setSystemTime(t);
        vi.advanceTimersByTime(20);
        for (const st of streams) for (const e of request(String(++id))) st.push(e);
      }
      for (let i = 0; i + 10 < admitted.length; i++) expect(admitted[i + 10]! - admitted[i]!).toBeGreaterThanOrEqual(1_000);
      expect(admitted.length).toBeGreaterThanOrEqual(45);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reports a failed proxy stream and opens it again, with ids that cannot collide with the old ones', async () => {
    const { streams, observe } = recordingObserve();
    const errors: string[] = [];
    const ids: string[] = [];
    const s = new TapSession(targets.slice(0, 1), query(10), observe, {
      event: (e) => ids.push(e.id),
      drops() {},
      upstreamError: (pod, message) => errors.push(`${pod}: ${message}`),
    }, { retryMs: 10 });
    s.start();
    for (const e of request('1')) streams[0]!.push(e);
    streams[0]!.end(new Error('14 UNAVAILABLE: the proxy is shutting down'));
    expect(errors).toEqual(['a: 14 UNAVAILABLE: the proxy is shutting down']);
    expect(s.upstreamCount).toBe(0);
    await vi.waitFor(() => expect(streams).toHaveLength(2));
    expect(s.upstreamCount).toBe(1);
    // The restarted proxy counts from 1 again.
    for (const e of request('1')) streams[1]!.push(e);
    expect(new Set(ids)).toEqual(new Set(['shop/a/1', 'shop/a/1.1']));
    s.close();
    expect(streams[1]!.cancelled).toBe(true);
  });

  it('does not reopen anything once closed', async () => {
    const { streams, observe } = recordingObserve();
    const s = new TapSession(targets.slice(0, 1), query(10), observe, { event() {}, drops() {}, upstreamError() {} }, { retryMs: 5 });
    s.start();
    streams[0]!.end(new Error('gone'));
    s.close();
    await new Promise((r) => setTimeout(r, 30));
    expect(streams).toHaveLength(1);
  });

  it('drops whole new requests while the client reads too slowly, and reports them once it catches up', () => {
    const { streams, observe } = recordingObserve();
    let room = true;
    const events: string[] = [];
    const drops: Array<[string, number]> = [];
    const s = new TapSession(targets.slice(0, 1), query(100), observe, {
      event: (e) => events.push(e.id),
      drops: (pod, count) => drops.push([pod, count]),
      upstreamError() {},
      hasRoom: () => room,
    });
    s.start();
    const [init, ...rest] = request('1');
    streams[0]!.push(init!);
    room = false;
    // Request 1 was admitted: its other parts still go out. Requests 2 and 3 are dropped whole.
    for (const e of [...rest, ...request('2'), ...request('3')]) streams[0]!.push(e);
    expect(events).toEqual(['shop/a/1', 'shop/a/1', 'shop/a/1']);
    s.flushDrops();
    expect(drops).toEqual([]);
    room = true;
    s.flushDrops();
    expect(drops).toEqual([['a', 6]]);
  });

  it('closes every upstream stream on close', () => {
    const { streams, observe } = recordingObserve();
    const s = new TapSession(targets, query(10), observe, { event() {}, drops() {}, upstreamError() {} });
    s.start();
    s.close();
    expect(streams.every((x) => x.cancelled)).toBe(true);
  });
});
