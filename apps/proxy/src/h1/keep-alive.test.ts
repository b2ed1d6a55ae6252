import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyHandle } from '../proxy.js';
import { send, startUpstream, type Upstream } from '../testing/http-fixtures.js';
import { startTestProxy } from '../testing/test-config.js';

/**
 * The fast path closes idle client connections after 5 s; a client must be told, or it may send a request onto a
 * connection just as the proxy closes it and meet a reset.
 */
describe('HTTP/1.1 fast path: the keep-alive timeout', () => {
  let upstream: Upstream;
  let proxy: ProxyHandle;
  let unreachable: ProxyHandle;

  beforeAll(async () => {
    upstream = await startUpstream((req, res) => {
      req.resume();
      res.end('ok');
    });
    proxy = await startTestProxy(upstream.addr);
    // Port 1 on loopback refuses: every request gets the proxy's own error answer.
    unreachable = await startTestProxy('127.0.0.1:1');
  });
  afterAll(async () => {
    await Promise.all([proxy.shutdown(), unreachable.shutdown()]);
    await upstream.close();
  });

  it('is announced on answers that leave the connection open, the app’s and the proxy’s own', async () => {
    const agent = new http.Agent({ keepAlive: true });
    const answer = await send(proxy.addresses.inbound, { agent });
    const error = await send(unreachable.addresses.inbound, { agent });
    agent.destroy();
    expect([answer.status, answer.headers['keep-alive']]).toEqual([200, 'timeout=5']);
    expect([error.status, error.headers['x-meshviz-proxy-error'], error.headers['keep-alive']]).toEqual([502, 'connect_refused', 'timeout=5']);
  });

  it('is not announced when the connection closes after the answer', async () => {
    const answer = await send(proxy.addresses.inbound, { headers: { connection: 'close' } });
    expect(answer.status).toBe(200);
    expect(answer.headers.connection).toBe('close');
    expect(answer.headers['keep-alive']).toBeUndefined();
  });
});
