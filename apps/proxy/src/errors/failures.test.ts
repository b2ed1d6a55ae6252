import http from 'node:http';
import net from 'node:net';
import { METRIC, PROXY_ERROR_HEADER } from '@meshviz/mesh-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyHandle } from '../proxy.js';
import { startBlackhole } from '../testing/blackhole.js';
import { eventually, getText, send, splitAddr, startUpstream, type Upstream } from '../testing/http-fixtures.js';
import { parseSamples, total } from '../testing/prom-text.js';
import { startTestProxy } from '../testing/test-config.js';

async function responses(proxy: ProxyHandle, where: Record<string, string>): Promise<number> {
  const { text } = await getText(proxy.addresses.admin, '/metrics');
  return total(parseSamples(text), METRIC.responseTotal, where);
}

describe('failures the proxy answers itself', () => {
  const started: { close(): unknown }[] = [];
  afterAll(async () => {
    for (const s of started.reverse()) await s.close();
  });
  const proxyTo = async (addr: string, overrides = {}) => {
    const proxy = await startTestProxy(addr, { responseTimeoutMs: 300, upstreamConnectTimeoutMs: 300, ...overrides });
    started.push({ close: () => proxy.shutdown() });
    return proxy;
  };

  it('502 connect_refused when nothing listens', async () => {
    // Port 1: below the ephemeral range and privileged, so no test (here or in a parallel worker) can be given it
    // by the OS, unlike a just-closed port 0 listener's, and every connect there is refused.
    const proxy = await proxyTo('127.0.0.1:1');
    const reply = await send(proxy.addresses.inbound);
    expect(reply.status).toBe(502);
    expect(reply.headers[PROXY_ERROR_HEADER]).toBe('connect_refused');
    expect(reply.headers['content-type']).toMatch(/^text\/plain/);
    expect(reply.body.toString()).toContain('connect_refused');
    expect(await responses(proxy, { status_code: '502', classification: 'failure', error: 'connect_refused' })).toBe(1);
  });

  it('504 connect_timeout when the connection is never established', async (ctx) => {
    const hole = await startBlackhole();
    if (!hole) return ctx.skip('python3 is needed to make a connect hang');
    started.push(hole);
    const proxy = await proxyTo(hole.addr);
    const started_ = Date.now();
    const reply = await send(proxy.addresses.inbound);
    expect(reply.status).toBe(504);
    expect(reply.headers[PROXY_ERROR_HEADER]).toBe('connect_timeout');
    expect(Date.now() - started_).toBeGreaterThanOrEqual(250);
  });

  it('504 response_timeout when the app sends no headers in time', async () => {
    const silent = await startUpstream(() => {});
    started.push(silent);
    const proxy = await proxyTo(silent.addr);
    const reply = await send(proxy.addresses.inbound);
    expect(reply.status).toBe(504);
    expect(reply.headers[PROXY_ERROR_HEADER]).toBe('response_timeout');
  });

  it('502 connection_reset when the app drops the connection before answering', async () => {
    const rude = await startUpstream((req) => req.socket.destroy());
    started.push(rude);
    const proxy = await proxyTo(rude.addr);
    const reply = await send(proxy.addresses.inbound, { method: 'POST', body: 'payload' });
    expect(reply.status).toBe(502);
    expect(reply.headers[PROXY_ERROR_HEADER]).toBe('connection_reset');
  });

  it('502 protocol_error when the app does not speak HTTP', async () => {
    const garbage = net.createServer((socket) => socket.end('SSH-2.0-OpenSSH\r\n\r\n'));
    await new Promise<void>((resolve) => garbage.listen(0, '127.0.0.1', resolve));
    started.push({ close: () => garbage.close() });
    const proxy = await proxyTo(`127.0.0.1:${(garbage.address() as net.AddressInfo).port}`);
    const reply = await send(proxy.addresses.inbound);
    expect(reply.status).toBe(502);
    expect(reply.headers[PROXY_ERROR_HEADER]).toBe('protocol_error');
  });

  it('408 from the header timeout when a client never finishes its headers', async () => {
    const app = await startUpstream();
    started.push(app);
    const proxy = await proxyTo(app.addr, { headerTimeoutMs: 200 });
    const [host, port] = splitAddr(proxy.addresses.inbound);
    const answer = await new Promise<string>((resolve) => {
      const socket = net.connect(port, host, () => socket.write('GET / HTTP/1.1\r\nHost: x\r\n'));
      let data = '';
      socket.on('data', (c: Buffer) => {
        data += c.toString();
      });
      socket.on('close', () => resolve(data));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });
});

describe('resets mid-body never take the proxy down', () => {
  let app: Upstream;
  let proxy: ProxyHandle;
  const appSawAbort: { resolve?: () => void } = {};

  beforeAll(async () => {
    app = await startUpstream((req, res) => {
      if (req.url === '/cut') {
        // Promise 100 kB, send 10 kB, then kill the connection.
        res.writeHead(200, { 'content-length': 100_000 });
        res.write(Buffer.alloc(10_000));
        setTimeout(() => res.socket?.destroy(), 20);
        return;
      }
      if (req.url === '/upload') {
        req.on('data', () => {});
        req.on('close', () => {
          if (!req.complete) appSawAbort.resolve?.();
        });
        req.on('end', () => res.end('complete'));
        return;
      }
      if (req.url === '/slow-download') {
        res.writeHead(200);
        const timer = setInterval(() => res.write('tick\n'), 10);
        res.on('close', () => {
          clearInterval(timer);
          appSawAbort.resolve?.();
        });
        return;
      }
      res.end('ok');
    });
    proxy = await startTestProxy(app.addr);
  });
  afterAll(async () => {
    await proxy.shutdown();
    await app.close();
  });

  it('passes an upstream reset mid-body to the client and counts it as a failure', async () => {
    await expect(send(proxy.addresses.inbound, { path: '/cut' })).rejects.toThrow();
    expect((await send(proxy.addresses.inbound)).status).toBe(200);
    await eventually(async () =>
      expect(
        await responses(proxy, { status_code: '200', classification: 'failure', error: 'connection_reset' }),
      ).toBe(1),
    );
  });

  it('survives a client abort mid-upload and releases the app', async () => {
    const aborted = new Promise<void>((resolve) => {
      appSawAbort.resolve = resolve;
    });
    const [host, port] = splitAddr(proxy.addresses.inbound);
    const req = http.request({ host, port, method: 'POST', path: '/upload', agent: false });
    req.on('error', () => {});
    req.write(Buffer.alloc(64 * 1024));
    await eventually(() => expect(app.requests.some((r) => r.url === '/upload')).toBe(true));
    req.destroy();
    await aborted;
    expect((await send(proxy.addresses.inbound)).status).toBe(200);
    await eventually(async () => expect(await responses(proxy, { error: 'client_reset' })).toBe(1));
  });

  it('survives a client abort mid-download and stops reading from the app', async () => {
    const released = new Promise<void>((resolve) => {
      appSawAbort.resolve = resolve;
    });
    const [host, port] = splitAddr(proxy.addresses.inbound);
    await new Promise<void>((resolve, reject) => {
      const req = http.get({ host, port, path: '/slow-download', agent: false }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
    });
    await released;
    expect((await send(proxy.addresses.inbound)).status).toBe(200);
    await eventually(async () =>
      expect(await responses(proxy, { status_code: '200', error: 'client_reset' })).toBe(1),
    );
  });
});
