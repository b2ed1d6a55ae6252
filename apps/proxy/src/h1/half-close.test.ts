import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyHandle } from '../proxy.js';
import { startUpstream, type Upstream } from '../testing/http-fixtures.js';
import { startTestProxy } from '../testing/test-config.js';

/** Writes `bytes` and half-closes at once (one packet with FIN where the stack allows), then reads to the end. */
function sendThenHalfClose(addr: string, bytes: string): Promise<string> {
  const [host, port] = [addr.slice(0, addr.lastIndexOf(':')), Number(addr.slice(addr.lastIndexOf(':') + 1))];
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port, allowHalfOpen: true });
    let got = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      got += d;
    });
    socket.once('end', () => {
      socket.end();
      resolve(got);
    });
    socket.once('error', reject);
    socket.setTimeout(5000, () => {
      socket.destroy();
      resolve(got);
    });
    socket.once('connect', () => socket.end(bytes));
  });
}

/** A client may say all it has to say and half-close before the answer (curl --no-keepalive style, `nc -N`). */
describe('HTTP/1.1: a request followed at once by the client’s FIN', () => {
  let upstream: Upstream;
  let proxy: ProxyHandle;
  beforeAll(async () => {
    upstream = await startUpstream((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (d: string) => {
        body += d;
      });
      req.on('end', () => res.end(`${req.method} ${req.url} ${body}`));
    });
    proxy = await startTestProxy(upstream.addr);
  });
  afterAll(async () => {
    await proxy.shutdown();
    await upstream.close();
  });

  for (const listener of ['inbound'] as const) {
    it(`is answered, then the connection ends (${listener})`, async () => {
      const addr = proxy.addresses[listener];
      const got = await sendThenHalfClose(addr, 'GET /half HTTP/1.1\r\nHost: app.test\r\n\r\n');
      expect(got).toMatch(/^HTTP\/1\.1 200 /);
      expect(got.endsWith('GET /half ')).toBe(true);
    });

    it(`answers a request with a body, and two pipelined requests, before ending (${listener})`, async () => {
      const addr = proxy.addresses[listener];
      const post = await sendThenHalfClose(addr, 'POST /b HTTP/1.1\r\nHost: app.test\r\nContent-Length: 5\r\n\r\nhello');
      expect(post).toMatch(/^HTTP\/1\.1 200 /);
      expect(post.endsWith('POST /b hello')).toBe(true);
      const two = await sendThenHalfClose(addr, 'GET /one HTTP/1.1\r\nHost: app.test\r\n\r\nGET /two HTTP/1.1\r\nHost: app.test\r\n\r\n');
      expect(two.match(/HTTP\/1\.1 200 /g)?.length).toBe(2);
      expect(two).toContain('GET /one ');
      expect(two.endsWith('GET /two ')).toBe(true);
    });

    it(`answers what Node's server path serves (HTTP/1.0, Expect) before ending (${listener})`, async () => {
      const addr = proxy.addresses[listener];
      const old = await sendThenHalfClose(addr, 'GET /old HTTP/1.0\r\nHost: app.test\r\n\r\n');
      expect(old).toMatch(/^HTTP\/1\.[01] 200 /);
      expect(old.endsWith('GET /old ')).toBe(true);
      const expect100 = await sendThenHalfClose(addr, 'POST /e HTTP/1.1\r\nHost: app.test\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi');
      expect(expect100).toMatch(/HTTP\/1\.1 200 /);
      expect(expect100.endsWith('POST /e hi')).toBe(true);
    });
  }
});
