import type { TapEvent, TapPeer } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { peerName, TopTable } from './top.js';

const peer = (addr: string, deployment = '', namespace = ''): TapPeer => ({ addr, namespace, deployment, pod: '' });

function request(id: string, source: TapPeer, ms: number, status: number, reset = '') {
  const base = {
    id,
    direction: 'inbound' as const,
    source,
    destination: peer('127.0.0.1:8080', 'web', 'bookshop'),
    proxy: { namespace: 'bookshop', deployment: 'web', pod: 'web-0' },
  };
  const init: TapEvent = {
    ...base,
    requestInit: { method: 'GET', scheme: 'http', authority: 'web', path: '/books', headers: [], timestampMs: 0 },
  };
  const end: TapEvent = {
    ...base,
    responseEnd: { grpcStatus: null, reset, responseBytes: 10, sinceRequestInitMs: ms, sinceResponseInitMs: 0 },
  };
  return { init, end, status };
}

describe('top', () => {
  it('names a peer by its workload, else by its address without the port', () => {
    expect(peerName(peer('10.0.0.7:41000', 'loadgen', 'traffic'))).toBe('traffic/loadgen');
    expect(peerName(peer('10.0.0.7:41000'))).toBe('10.0.0.7');
    expect(peerName(peer('[fd00::7]:41000'))).toBe('[fd00::7]');
    expect(peerName(peer(''))).toBe('unknown');
  });

  it("counts one client's connections as one row, with best, worst, last latency and success", () => {
    const table = new TopTable();
    const calls = [
      request('a', peer('127.0.0.1:40001'), 12, 200),
      request('b', peer('127.0.0.1:40002'), 3, 500),
      request('c', peer('127.0.0.1:40003'), 30, 200, 'reset by peer'),
      request('d', peer('127.0.0.1:40001'), 7, 200),
    ];
    for (const c of calls) table.add(c.end, c.init, c.status);
    table.addDrops(2);
    const snap = table.snapshot();
    expect(snap).toEqual({
      rows: [
        {
          source: '127.0.0.1',
          destination: 'bookshop/web',
          method: 'GET',
          path: '/books',
          count: 4,
          successRate: 0.5,
          bestMs: 3,
          worstMs: 30,
          lastMs: 7,
        },
      ],
      events: 4,
      drops: 2,
    });
  });
});
