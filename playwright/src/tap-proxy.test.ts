import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeb, type WebServer } from './web-server.js';

/** What the stand-in API saw of one request, and how to feed its stream. */
interface Seen {
  url: string;
  authorization: string | undefined;
  origin: string | undefined;
  res: ServerResponse;
  closed: Promise<unknown>;
}

/**
 * Stands in for the API's tap routes: answers /api/v1/tap and /api/v1/top with an event stream that the test writes
 * to by hand, so it can tell whether each event reaches the client before the next one exists.
 */
async function startStreamingApi(): Promise<{ server: Server; url: string; next(): Promise<Seen> }> {
  const waiting: ((seen: Seen) => void)[] = [];
  const queued: Seen[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (!/^\/api\/v1\/(tap|top)\b/.test(req.url ?? '')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'API_NOT_FOUND', message: 'Not found' } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    res.flushHeaders();
    const seen = { url: req.url ?? '', authorization: req.headers.authorization, origin: req.headers.origin, res, closed: once(res, 'close') };
    const take = waiting.shift();
    if (take) take(seen);
    else queued.push(seen);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    next: () => {
      const ready = queued.shift();
      return ready ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

async function readChunk(reader: ReadableStreamDefaultReader<Uint8Array>, timeoutMs = 5_000): Promise<string> {
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no chunk within ${timeoutMs} ms`)), timeoutMs));
  const { value } = await Promise.race([reader.read(), timeout]);
  return new TextDecoder().decode(value);
}

/**
 * The built dashboard's /api/* forwarder, for real (next start), in front of a stand-in API: the tap streams must go
 * through without buffering, carry the token, refuse other origins, and end upstream when the browser goes away.
 */
describe('the dashboard server forwarding tap streams', () => {
  let api: Awaited<ReturnType<typeof startStreamingApi>>;
  let web: WebServer;

  beforeAll(async () => {
    api = await startStreamingApi();
    web = await startWeb(api.url);
  });

  afterAll(async () => {
    await web?.stop();
    api?.server.closeAllConnections();
    await new Promise((resolve) => api?.server.close(resolve));
  });

  it('passes each event on as it comes, with the token, and no compression or caching', async () => {
    const answer = fetch(`${web.url}/api/v1/tap?namespace=bookshop`, {
      headers: { authorization: 'Bearer tap-secret', 'accept-encoding': 'gzip, br' },
    });
    const seen = await api.next();
    expect(seen.url).toBe('/api/v1/tap?namespace=bookshop');
    expect(seen.authorization).toBe('Bearer tap-secret');
    // Next.js sends the response head with the first body chunk: the API's `start` event (sent at once) is that chunk.
    seen.res.write('event: start\ndata: {"proxies":["bookshop/web-0"]}\n\n');
    const response = await answer;
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('content-encoding')).toBeNull();
    expect(response.headers.get('cache-control')).toBe('no-store, no-transform');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    const reader = response.body!.getReader();
    expect(await readChunk(reader)).toBe('event: start\ndata: {"proxies":["bookshop/web-0"]}\n\n');
    // A small event alone must arrive too: nothing may hold it back waiting for more.
    seen.res.write('event: drops\ndata: {"pod":"web-0","count":1}\n\n');
    expect(await readChunk(reader)).toBe('event: drops\ndata: {"pod":"web-0","count":1}\n\n');
    await reader.cancel();
    await seen.closed;
  });

  it('ends the API stream when the browser goes away', async () => {
    const browser = new AbortController();
    const answer = fetch(`${web.url}/api/v1/top?namespace=bookshop`, { signal: browser.signal });
    const seen = await api.next();
    seen.res.write('event: start\ndata: {"proxies":[]}\n\n');
    const reader = (await answer).body!.getReader();
    await readChunk(reader);
    expect(seen.res.destroyed || seen.res.writableEnded).toBe(false);
    const aborted = Date.now();
    browser.abort();
    await Promise.race([seen.closed, new Promise((_, reject) => setTimeout(() => reject(new Error('the API stream stayed open')), 10_000))]);
    expect(Date.now() - aborted).toBeLessThan(10_000);
  });

  it('refuses tap to pages of other origins, without reaching the API', async () => {
    const foreign: Record<string, string>[] = [{ 'sec-fetch-site': 'cross-site' }, { origin: 'http://evil.example' }];
    for (const headers of foreign) {
      const response = await fetch(`${web.url}/api/v1/tap?namespace=bookshop`, { headers: { ...headers, authorization: 'Bearer tap-secret' } });
      expect(response.status).toBe(403);
      expect(await response.json()).toEqual({
        error: { code: 'WEB_TAP_FORBIDDEN', message: 'tap is only served to pages of the meshviz dashboard itself' },
      });
    }
    // Its own origin is fine (and the API is not shown the browser's Origin).
    const answer = fetch(`${web.url}/api/v1/tap?namespace=bookshop`, { headers: { origin: web.url, 'sec-fetch-site': 'same-origin' } });
    const seen = await api.next();
    seen.res.write('event: start\ndata: {"proxies":[]}\n\n');
    const own = await answer;
    expect(own.status).toBe(200);
    expect(seen.origin).toBeUndefined();
    await own.body?.cancel();
  });
});
