import http from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProxyHandle } from '../proxy.js';
import { type Reply, send } from '../testing/http-fixtures.js';
import { startTcpServer, type TcpServer } from '../testing/tcp-fixtures.js';
import { startTestProxy } from '../testing/test-config.js';

/**
 * An upstream that answers the first request of each connection ("conn <n>", keep-alive) and, on the connection's
 * second request, either closes the connection without a byte of answer (`mode` 'close'), or sends half a status
 * line and then closes ('partial'). What a proxy meets when it reuses an idle pooled connection the upstream has
 * just given up on.
 */
function staleUpstream(): Promise<TcpServer & { mode: 'close' | 'partial'; heads: string[] }> {
  let connections = 0;
  const state = { mode: 'close' as 'close' | 'partial', heads: [] as string[] };
  return startTcpServer((socket: Socket) => {
    const n = ++connections;
    let seen = '';
    let answered = 0;
    socket.on('data', (chunk: Buffer) => {
      seen += chunk.toString('latin1');
      for (;;) {
        const end = seen.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = seen.slice(0, end);
        seen = seen.slice(end + 4);
        const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        seen = seen.slice(length);
        state.heads.push(`${n} ${head.slice(0, head.indexOf('\r\n'))}`);
        if (answered++ === 0) {
          const body = `conn ${n}`;
          socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
        } else if (state.mode === 'close') socket.destroy();
        else socket.end('HTTP/1.1 2');
      }
    });
  }).then((server) => Object.assign(state, server));
}

describe('HTTP/1.1 pool: an idle connection found dead on reuse', () => {
  let upstream: Awaited<ReturnType<typeof staleUpstream>>;
  let proxy: ProxyHandle;
  let agent: http.Agent;

  // A fresh upstream and proxy per case, so every case starts with no pooled connection.
  beforeEach(async () => {
    upstream = await staleUpstream();
    proxy = await startTestProxy(upstream.addr);
  });
  afterEach(async () => {
    agent?.destroy();
    await proxy.shutdown();
    await upstream.close();
  });

  /** Two requests on one client connection, so the proxy's second goes on its pooled upstream connection. */
  async function twice(second: { method?: string; body?: string }): Promise<[Reply, Reply]> {
    agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const first = await send(proxy.addresses.inbound, { path: '/a', agent });
    const again = await send(proxy.addresses.inbound, { path: '/b', agent, ...second });
    return [first, again];
  }

  it('sends an idempotent bodyless request again on a new connection, once, when the reused one closes unanswered', async () => {
    upstream.mode = 'close';
    const [first, second] = await twice({ method: 'GET' });
    expect([first.status, first.body.toString()]).toEqual([200, 'conn 1']);
    expect([second.status, second.body.toString()]).toEqual([200, 'conn 2']);
    // The stale connection saw the request; the new one took it again, and nothing else was sent.
    expect(upstream.heads.filter((h) => h.includes('/b'))).toEqual(['1 GET /b HTTP/1.1', '2 GET /b HTTP/1.1']);
  });

  it('does not send a request with a body again: the upstream may have acted on it (502 connection_reset)', async () => {
    upstream.mode = 'close';
    const [, second] = await twice({ method: 'POST', body: 'hello' });
    expect(second.status).toBe(502);
    expect(second.headers['x-meshviz-proxy-error']).toBe('connection_reset');
    expect(upstream.heads.filter((h) => h.includes('/b'))).toHaveLength(1);
  });

  it('does not send a non-idempotent request again, even without a body', async () => {
    upstream.mode = 'close';
    const [, second] = await twice({ method: 'POST' });
    expect(second.status).toBe(502);
    expect(upstream.heads.filter((h) => h.includes('/b'))).toHaveLength(1);
  });

  it('does not send again once the upstream began an answer: the connection was not dead, the exchange broke', async () => {
    upstream.mode = 'partial';
    const [, second] = await twice({ method: 'GET' });
    expect(second.status).toBe(502);
    expect(upstream.heads.filter((h) => h.includes('/b'))).toHaveLength(1);
  });
});
