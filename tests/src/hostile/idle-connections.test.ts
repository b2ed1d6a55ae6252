import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { send, startUpstream, type Upstream } from '../../../apps/proxy/src/testing/http-fixtures.js';
import { type ProxyProcess, spawnProxy } from '../support/proxy-process.js';
import { splitAddr } from '../support/raw-socket.js';

/**
 * Many idle keep-alive connections to one proxy process: each sent one request, got its answer and stays open
 * without a word. The proxy's memory per connection stays bounded and other clients are served meanwhile; it may
 * close connections idle past its keep-alive timeout (most stay open while the rest are opened).
 * `npm test` holds HARDENING_IDLE_CONNECTIONS (default 2 000); `npm run test:hardening:long` holds 10 000.
 */
const COUNT = z.coerce.number().int().min(100).max(15_000).default(2_000).parse(process.env.HARDENING_IDLE_CONNECTIONS);
/** What an idle HTTP/1.1 connection may cost the proxy, socket and parser included. */
const MAX_BYTES_PER_CONNECTION = 40 * 1024;

let app: Upstream;
let proxy: ProxyProcess;
const sockets: net.Socket[] = [];

beforeAll(async () => {
  app = await startUpstream();
  proxy = await spawnProxy({ PROXY_INBOUND_FORWARD_ADDR: app.addr });
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await proxy?.kill();
  await app?.close();
});

/** One connection that sends one keep-alive request, waits for the whole answer, and then stays idle. */
function idleConnection(address: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(splitAddr(address));
    let seen = '';
    socket.once('error', reject);
    socket.on('connect', () => socket.write('GET /idle HTTP/1.1\r\nHost: catalog\r\n\r\n'));
    socket.on('data', (c: Buffer) => {
      seen += c.toString('latin1');
      if (seen.startsWith('HTTP/1.1 200') && seen.endsWith('ok')) resolve(socket);
    });
  });
}

describe(`${COUNT} idle connections to one proxy process`, () => {
  it('keeps memory bounded per connection and serves others meanwhile', async () => {
    const address = proxy.addresses.inbound;
    for (let i = 0; i < 20; i++) expect((await send(address, { path: '/warm' })).status).toBe(200);
    const before = proxy.rss();
    const started = performance.now();
    for (let opened = 0; opened < COUNT; ) {
      const batch = Math.min(200, COUNT - opened);
      sockets.push(...(await Promise.all(Array.from({ length: batch }, () => idleConnection(address)))));
      opened += batch;
    }
    const openMs = performance.now() - started;
    const after = proxy.rss();
    const statuses = await Promise.all(Array.from({ length: 20 }, (_, i) => send(address, { path: `/other-${i}` }).then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    // The proxy may close connections idle past its keep-alive timeout while the rest are still being opened.
    const open = sockets.filter((s) => !s.destroyed).length;
    const perConnection = (after - before) / Math.max(open, 1);
    process.stdout.write(
      `idle connections: ${COUNT} opened in ${Math.round(openMs)} ms, ${open} still open; proxy RSS ${(before / 2 ** 20).toFixed(1)} → ${(after / 2 ** 20).toFixed(1)} MiB (${(perConnection / 1024).toFixed(1)} KiB per open connection)\n`,
    );
    expect(open).toBeGreaterThan(COUNT / 2);
    expect(perConnection).toBeLessThan(MAX_BYTES_PER_CONNECTION);
  });
});
