import http2, { constants } from 'node:http2';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyHandle } from '../proxy.js';
import { type H2Upstream, h2Connect, h2Send, startH2Upstream } from '../testing/h2-fixtures.js';
import { send, splitAddr, startUpstream, type Upstream } from '../testing/http-fixtures.js';
import { talk } from '../testing/tcp-fixtures.js';
import { startTestProxy } from '../testing/test-config.js';

const head = (reply: { data: Buffer }) => reply.data.toString('latin1').split('\r\n')[0];

describe('bad HTTP/1.1 input is refused and the proxy carries on', () => {
  let app: Upstream;
  let proxy: ProxyHandle;
  const valid = async () => expect((await send(proxy.addresses.inbound)).status).toBe(200);

  beforeAll(async () => {
    // The app accepts large heads too, so a 431 can only come from the proxy.
    app = await startUpstream(undefined, { maxHeaderSize: 256 * 1024 });
    proxy = await startTestProxy(app.addr, { headerTimeoutMs: 300 });
  });
  afterAll(async () => {
    await proxy.shutdown();
    await app.close();
  });

  it('400 for conflicting Content-Length and Transfer-Encoding (request smuggling)', async () => {
    const smuggle = 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n';
    expect(head(await talk(proxy.addresses.inbound, Buffer.from(smuggle)))).toBe('HTTP/1.1 400 Bad Request');
    expect(app.requests.some((r) => r.url === '/smuggled')).toBe(false);
    await valid();
  });

  it('431 for request heads over 64 KiB, while 60 KiB of headers still pass', async () => {
    const big = (kib: number) => `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(kib * 1024)}\r\nConnection: close\r\n\r\n`;
    expect(head(await talk(proxy.addresses.inbound, Buffer.from(big(65))))).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(head(await talk(proxy.addresses.inbound, Buffer.from(big(60))))).toBe('HTTP/1.1 200 OK');
    await valid();
  });

  it('400 for a malformed request line', async () => {
    for (const line of ['GET /a b HTTP/1.1', 'GET / HTTP/9.9', 'GET / HTTX/1.1', 'FOO / HTTP/1.1']) {
      expect(head(await talk(proxy.addresses.inbound, Buffer.from(`${line}\r\nHost: x\r\n\r\n`)))).toBe('HTTP/1.1 400 Bad Request');
    }
    await valid();
  });

  it('closes clients that never finish their headers, without delaying anyone else', async () => {
    const [host, port] = splitAddr(proxy.addresses.inbound);
    const slow = Array.from(
      { length: 20 },
      () =>
        new Promise<number>((resolve) => {
          const started = performance.now();
          const socket = net.connect(port, host, () => socket.write('GET / HTTP/1.1\r\nHost: x\r\nX-Slow: '));
          socket.on('error', () => {});
          socket.resume(); // a socket nobody reads never sees the proxy's FIN
          socket.on('close', () => resolve(performance.now() - started));
        }),
    );
    const started = performance.now();
    await valid();
    expect(performance.now() - started).toBeLessThan(200);
    for (const closedAfter of await Promise.all(slow)) {
      expect(closedAfter).toBeGreaterThanOrEqual(250);
      expect(closedAfter).toBeLessThan(2_000);
    }
    await valid();
  });
});

describe('HTTP/2 abuse is bounded', () => {
  let app: H2Upstream;
  let proxy: ProxyHandle;
  let active = 0;
  let maxActive = 0;

  beforeAll(async () => {
    app = await startH2Upstream((stream) => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      stream.once('close', () => {
        active -= 1;
      });
      setTimeout(() => {
        if (stream.destroyed) return;
        stream.respond({ ':status': 200 });
        stream.end('ok');
      }, 30);
    });
    proxy = await startTestProxy(app.addr, { h2MaxConcurrentStreams: 10, h2ResetLimit: { count: 50, windowMs: 10_000 } });
  });
  afterAll(async () => {
    await proxy.shutdown();
    await app.close();
  });

  it('holds clients to SETTINGS_MAX_CONCURRENT_STREAMS: a flood reaches the app 10 streams at a time', async () => {
    // A client that has the proxy's SETTINGS queues its streams itself.
    const polite = h2Connect(proxy.addresses.inbound);
    await new Promise((resolve) => polite.once('remoteSettings', resolve));
    const queued = await Promise.all(Array.from({ length: 60 }, () => h2Send(polite)));
    expect(queued.map((r) => r.status)).toEqual(Array(60).fill(200));
    polite.close();
    // One that floods before reading them gets the excess refused (REFUSED_STREAM, safe to retry).
    const rude = h2Connect(proxy.addresses.inbound);
    const flooded = await Promise.all(Array.from({ length: 60 }, () => h2Send(rude)));
    rude.close();
    for (const reply of flooded) expect([reply.status, reply.rstCode]).toEqual(reply.status === 200 ? [200, 0] : [0, constants.NGHTTP2_REFUSED_STREAM]);
    expect(flooded.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(10);
    expect(maxActive).toBeLessThanOrEqual(10);
  });

  it('ends a rapid-reset session with GOAWAY ENHANCE_YOUR_CALM, and serves the next client', async () => {
    const session = http2.connect(`http://${proxy.addresses.inbound}`);
    session.on('error', () => {});
    const goaway = new Promise<number>((resolve) => {
      session.once('goaway', (code: number) => resolve(code));
      session.once('close', () => resolve(-1));
    });
    await new Promise((resolve) => session.once('connect', resolve));
    for (let i = 0; i < 200 && !session.destroyed && !session.closed; i++) {
      const stream = session.request({ ':path': `/reset-${i}` });
      stream.on('error', () => {});
      stream.close(constants.NGHTTP2_CANCEL);
      if (i % 10 === 9) await new Promise((r) => setImmediate(r));
    }
    expect(await goaway).toBe(constants.NGHTTP2_ENHANCE_YOUR_CALM);
    session.destroy();

    const next = h2Connect(proxy.addresses.inbound);
    try {
      expect((await h2Send(next)).status).toBe(200);
    } finally {
      next.close();
    }
  });
});
