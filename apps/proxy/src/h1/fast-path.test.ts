import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyHandle } from '../proxy.js';
import { send, startUpstream, type Upstream } from '../testing/http-fixtures.js';
import { startTcpServer, type TcpServer, talk } from '../testing/tcp-fixtures.js';
import { startTestProxy } from '../testing/test-config.js';

/** The app: each path shows one way of framing an answer. */
function app(req: IncomingMessage, res: ServerResponse): void {
  const path = req.url ?? '/';
  if (path.startsWith('/echo')) {
    // Echoes the body's length and digest, and the request's trailers as response trailers.
    const hash = createHash('sha256');
    let length = 0;
    req.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      length += chunk.length;
    });
    req.on('end', () => {
      res.setHeader('trailer', 'x-length');
      res.write(`${hash.digest('hex')}`);
      res.addTrailers({ 'x-length': String(length), ...req.trailers });
      res.end();
    });
    return;
  }
  if (path === '/no-content') {
    res.writeHead(204).end();
    return;
  }
  if (path === '/early') {
    // Refuses the upload before reading it (without closing: a close with unread bytes is a reset, which may
    // destroy the answer in flight).
    res.writeHead(413).end('too large');
    return;
  }
  res.end(`path ${path}`);
}

const text = (reply: { data: Buffer }) => reply.data.toString('latin1');

describe('HTTP/1.1 fast path', () => {
  let upstream: Upstream;
  let proxy: ProxyHandle;

  beforeAll(async () => {
    upstream = await startUpstream(app);
    proxy = await startTestProxy(upstream.addr);
  });
  afterAll(async () => {
    await proxy.shutdown();
    await upstream.close();
  });

  it('answers pipelined requests in order, each on the same client connection', async () => {
    const requests = ['/1', '/2', '/3'].map((p) => `GET ${p} HTTP/1.1\r\nHost: x\r\n\r\n`).join('');
    const reply = await talk(proxy.addresses.inbound, Buffer.from(`${requests}GET /4 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`));
    const bodies = [...text(reply).matchAll(/path (\/\d)/g)].map((m) => m[1]);
    expect(bodies).toEqual(['/1', '/2', '/3', '/4']);
    expect(reply.ending).toBe('end');
  });

  it('streams a chunked upload with its trailers, and a chunked answer with the app trailers', async () => {
    const parts = Array.from({ length: 40 }, (_, i) => Buffer.alloc(16 * 1024, i));
    const whole = Buffer.concat(parts);
    const reply = await send(proxy.addresses.inbound, {
      method: 'POST',
      path: '/echo',
      headers: { host: 'x', 'transfer-encoding': 'chunked' },
      body: (async function* () {
        yield* parts;
      })(),
    });
    expect(reply.status).toBe(200);
    expect(reply.body.toString()).toBe(createHash('sha256').update(whole).digest('hex'));
    expect(reply.headers['transfer-encoding']).toBe('chunked');
    expect(reply.trailers['x-length']).toBe(String(whole.length));
  });

  it('passes request trailers on', async () => {
    const raw =
      'POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTrailer: x-sum\r\nConnection: close\r\n\r\n' +
      '3\r\nabc\r\n0\r\nx-sum: 42\r\n\r\n';
    const reply = text(await talk(proxy.addresses.inbound, Buffer.from(raw)));
    expect(reply).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(reply).toContain(createHash('sha256').update('abc').digest('hex'));
    expect(reply).toMatch(/\r\nx-sum: 42\r\n/i);
  });

  it('carries content-length bodies exactly, and keeps the connection for the next request', async () => {
    const body = Buffer.alloc(200_000, 7);
    const raw = Buffer.concat([
      Buffer.from(`PUT /echo HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n`),
      body,
      Buffer.from('GET /after HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
    ]);
    const reply = text(await talk(proxy.addresses.inbound, raw));
    expect(reply).toContain(createHash('sha256').update(body).digest('hex'));
    expect(reply).toContain('path /after');
  });

  it('sends no body for HEAD and 204, and the connection goes on', async () => {
    const raw = 'HEAD /x HTTP/1.1\r\nHost: x\r\n\r\nGET /no-content HTTP/1.1\r\nHost: x\r\n\r\nGET /last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';
    const reply = text(await talk(proxy.addresses.inbound, Buffer.from(raw)));
    const heads = reply.split('\r\n').filter((line) => line.startsWith('HTTP/1.1'));
    expect(heads).toEqual(['HTTP/1.1 200 OK', 'HTTP/1.1 204 No Content', 'HTTP/1.1 200 OK']);
    expect(reply).not.toContain('path /x');
    expect(reply.endsWith('path /last')).toBe(true);
  });

  it('relays an answer the app gives before reading the upload, and reads the rest of the upload', async () => {
    const body = Buffer.alloc(300_000, 1);
    const raw = Buffer.concat([Buffer.from(`POST /early HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n`), body]);
    const reply = text(await talk(proxy.addresses.inbound, raw, { halfClose: true }));
    expect(reply).toMatch(/^HTTP\/1\.1 413 /);
    expect(reply).toContain('\r\n9\r\ntoo large\r\n0\r\n\r\n');
  });

  it('closes the connection on broken chunked framing instead of guessing', async () => {
    const raw = 'POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n';
    const reply = await talk(proxy.addresses.inbound, Buffer.from(raw));
    expect(text(reply)).not.toMatch(/HTTP\/1\.1 200/);
  });
});

describe('HTTP/1.1 fast path, upstream framing', () => {
  let raw: TcpServer;
  let proxy: ProxyHandle;
  let answer = '';

  beforeAll(async () => {
    // A hand-written upstream, so the answer's framing is exactly what the test says.
    raw = await startTcpServer((socket) => {
      socket.once('data', () => {
        socket.write(answer);
        socket.end();
      });
      socket.on('error', () => {});
    });
    proxy = await startTestProxy(raw.addr);
  });
  afterAll(async () => {
    await proxy.shutdown();
    await raw.close();
  });

  it('reads a body without length until the upstream closes, and sends it chunked', async () => {
    answer = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end';
    const reply = await send(proxy.addresses.inbound, { headers: { host: 'x' } });
    expect(reply.status).toBe(200);
    expect(reply.body.toString()).toBe('until the end');
    expect(reply.headers['transfer-encoding']).toBe('chunked');
  });

  it('answers 502 protocol_error for a malformed status line', async () => {
    answer = 'HTTP/1.1 2OO OK\r\nContent-Length: 2\r\n\r\nok';
    const reply = await send(proxy.addresses.inbound, { headers: { host: 'x' } });
    expect(reply.status).toBe(502);
    expect(reply.headers['x-meshviz-proxy-error']).toBe('protocol_error');
  });

  it('answers 502 connection_reset when the upstream closes before answering', async () => {
    answer = '';
    const reply = await send(proxy.addresses.inbound, { headers: { host: 'x' } });
    expect(reply.status).toBe(502);
    expect(reply.headers['x-meshviz-proxy-error']).toBe('connection_reset');
  });

  it('skips interim 1xx answers', async () => {
    answer = 'HTTP/1.1 103 Early Hints\r\nLink: </a>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal';
    const reply = await send(proxy.addresses.inbound, { headers: { host: 'x' } });
    expect(reply.status).toBe(200);
    expect(reply.body.toString()).toBe('final');
  });
});
