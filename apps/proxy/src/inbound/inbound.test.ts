import { createHash } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyHandle } from '../proxy.js';
import { send, startUpstream, type Upstream } from '../testing/http-fixtures.js';
import { startTestProxy } from '../testing/test-config.js';

/** A deferred the test and the upstream use to prove bodies stream instead of being buffered whole. */
function signal(): { wait: Promise<void>; fire: () => void } {
  let fire = () => {};
  const wait = new Promise<void>((resolve) => {
    fire = resolve;
  });
  return { wait, fire };
}

describe('inbound: HTTP/1.1 to the local app', () => {
  let app: Upstream;
  let proxy: ProxyHandle;
  const firstRequestChunk = signal();
  const firstResponseChunk = signal();

  beforeAll(async () => {
    app = await startUpstream((req, res) => {
      switch (req.url) {
        case '/echo': {
          // Echoes the body and reports what the upstream saw of the request framing.
          res.writeHead(200, {
            'x-saw-te': String(req.headers['transfer-encoding']),
            Connection: 'x-internal',
            'x-internal': 'must not leave the hop',
          });
          req.pipe(res);
          return;
        }
        case '/hash': {
          const hash = createHash('sha256');
          let first = true;
          req.on('data', (chunk: Buffer) => {
            if (first) firstRequestChunk.fire();
            first = false;
            hash.update(chunk);
          });
          req.on('end', () => res.end(hash.digest('hex')));
          return;
        }
        case '/stream': {
          res.writeHead(200, { 'content-type': 'application/octet-stream' });
          res.write(Buffer.alloc(1024, 1));
          // Only finishes once the client has seen the first chunk: proves the proxy did not wait for the end.
          void firstResponseChunk.wait.then(() => res.end(Buffer.alloc(1024, 2)));
          return;
        }
        case '/trailers': {
          res.writeHead(200, { Trailer: 'x-checksum' });
          let size = 0;
          req.on('data', (c: Buffer) => {
            size += c.length;
          });
          req.on('end', () => {
            res.write(`got ${size} bytes, trailer ${req.trailers['x-client-trailer']}`);
            res.addTrailers({ 'x-checksum': 'abc123' });
            res.end();
          });
          return;
        }
        default:
          res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers }));
      }
    });
    proxy = await startTestProxy(app.addr);
  });

  afterAll(async () => {
    await proxy.shutdown();
    await app.close();
  });

  it('forwards method, path and Host, dropping hop-by-hop headers both ways', async () => {
    const reply = await send(proxy.addresses.inbound, {
      path: '/a/b?c=d',
      headers: {
        host: 'web.bookshop.svc.cluster.local',
        connection: 'keep-alive, x-hop',
        'x-hop': '1',
        'keep-alive': 'timeout=9',
        'proxy-connection': 'keep-alive',
        te: 'trailers',
        'x-end-to-end': 'yes',
      },
    });
    const seen = JSON.parse(reply.body.toString()) as { method: string; url: string; headers: Record<string, string> };
    expect(seen.method).toBe('GET');
    expect(seen.url).toBe('/a/b?c=d');
    expect(seen.headers.host).toBe('web.bookshop.svc.cluster.local');
    expect(seen.headers['x-end-to-end']).toBe('yes');
    expect(seen.headers.te).toBe('trailers');
    expect(seen.headers['x-hop']).toBeUndefined();
    expect(seen.headers['keep-alive']).toBeUndefined();
    expect(seen.headers['proxy-connection']).toBeUndefined();

    const echoed = await send(proxy.addresses.inbound, { method: 'POST', path: '/echo', body: 'x' });
    expect(echoed.headers['x-internal']).toBeUndefined();
    expect(echoed.body.toString()).toBe('x');
  });

  it('streams a chunked request body and keeps it chunked', async () => {
    async function* chunks() {
      for (let i = 0; i < 50; i++) yield Buffer.from(`chunk-${i};`);
    }
    const reply = await send(proxy.addresses.inbound, { method: 'POST', path: '/echo', body: chunks() });
    expect(reply.status).toBe(200);
    expect(reply.headers['x-saw-te']).toBe('chunked');
    expect(reply.body.toString()).toBe(Array.from({ length: 50 }, (_, i) => `chunk-${i};`).join(''));
  });

  it('streams a large request body to the app before the client has finished sending it', async () => {
    const size = 24 * 1024 * 1024;
    const block = Buffer.alloc(64 * 1024, 7);
    const expected = createHash('sha256');
    async function* body() {
      expected.update(block);
      yield block;
      await firstRequestChunk.wait; // the app must see data while the rest is still to come
      for (let sent = block.length; sent < size; sent += block.length) {
        expected.update(block);
        yield block;
      }
    }
    const reply = await send(proxy.addresses.inbound, { method: 'PUT', path: '/hash', body: body() });
    expect(reply.body.toString()).toBe(expected.digest('hex'));
  });

  it('streams the response to the client before the app has finished it', async () => {
    const [host, port] = proxy.addresses.inbound.split(':');
    const body = await new Promise<Buffer>((resolve, reject) => {
      http
        .get({ host, port: Number(port), path: '/stream', agent: false }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => {
            chunks.push(c);
            firstResponseChunk.fire();
          });
          res.on('end', () => resolve(Buffer.concat(chunks)));
        })
        .on('error', reject);
    });
    expect(body.length).toBe(2048);
  });

  it('forwards trailers in both directions', async () => {
    const [host, port] = proxy.addresses.inbound.split(':');
    const reply = await new Promise<{ body: string; trailers: NodeJS.Dict<string> }>((resolve, reject) => {
      const req = http.request(
        { host, port: Number(port), method: 'POST', path: '/trailers', agent: false, headers: { te: 'trailers' } },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => {
            body += c.toString();
          });
          res.on('end', () => resolve({ body, trailers: res.trailers }));
        },
      );
      req.on('error', reject);
      req.write('hello');
      req.addTrailers({ 'x-client-trailer': 'from-client' });
      req.end();
    });
    expect(reply.body).toBe('got 5 bytes, trailer from-client');
    expect(reply.trailers['x-checksum']).toBe('abc123');
  });

  it('reuses one pooled connection to the app for sequential requests', async () => {
    const before = app.connections.size;
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let i = 0; i < 10; i++) expect((await send(proxy.addresses.inbound, { agent })).status).toBe(200);
    } finally {
      agent.destroy();
    }
    expect(app.connections.size - before).toBeLessThanOrEqual(1);
  });
});
