import type { TapEvent, TapQuery } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import type { WireEvent } from './proxy-client.js';
import { type Observe, splitRate, TapSession } from './session.js';

const targets = ['a', 'b', 'c'].map((pod) => ({ namespace: 'shop', deployment: 'web', pod, tapAddr: `${pod}:4190` }));
const query = (max_rps: number): TapQuery => ({ namespace: 'shop', max_rps });

/** Records the streams a session opens and lets the test push wire events into them. */
function recordingObserve() {
  const streams: Array<{ pod: string; maxRps: number; push: (e: WireEvent) => void; cancelled: boolean }> = [];
  const observe: Observe = (target, request, onEvent) => {
    const s = { pod: target.pod, maxRps: request.maxRps, push: onEvent, cancelled: false };
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

  it('keeps the total rate even when proxies each send their own share', () => {
    const { streams, observe } = recordingObserve();
    const ids = new Set<string>();
    const s = new TapSession(targets, query(2), observe, { event: (e) => ids.add(e.id), drops() {}, upstreamError() {} });
    s.start();
    for (const st of streams) for (const e of [...request('1'), ...request('2')]) st.push(e);
    // Three proxies at the 1 rps floor would give 3+; the session admits 2 whole requests and drops the rest whole.
    expect(ids.size).toBe(2);
  });

  it('closes every upstream stream on close', () => {
    const { streams, observe } = recordingObserve();
    const s = new TapSession(targets, query(10), observe, { event() {}, drops() {}, upstreamError() {} });
    s.start();
    s.close();
    expect(streams.every((x) => x.cancelled)).toBe(true);
  });
});
