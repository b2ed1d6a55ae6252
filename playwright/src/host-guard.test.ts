import { mkdir } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newDesktopPage } from './browser.js';
import { startWeb, type WebServer } from './web-server.js';

const SCREENSHOTS = new URL('../screenshots/', import.meta.url);
const FOREIGN = 'evil.example:8084';
const REFUSAL = `the Host header "${FOREIGN}" is not allowed; this protects against DNS rebinding. Add it to MESHVIZ_WEB_ALLOWED_HOSTS`;

/** Stands in for the API: answers stats as JSON and tap/top as an event stream, and counts what reached it. */
async function startApi(): Promise<{ server: Server; url: string; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(req.url ?? '');
    if (/^\/api\/v1\/(tap|top)\b/.test(req.url ?? '')) {
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' });
      res.write('event: start\ndata: {"proxies":[]}\n\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ window: '1m', rows: [] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

/** One GET with the Host header as given (fetch cannot set it); the body is read up to its first chunk. */
function get(base: string, path: string, host: string): Promise<{ status: number; type: string; body: string }> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname + url.search, headers: { host } }, (res) => {
      res.once('data', (chunk: Buffer) => {
        resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] ?? '', body: chunk.toString() });
        res.destroy();
      });
      res.once('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] ?? '', body: '' }));
    });
    req.once('error', reject);
    req.setTimeout(15_000, () => req.destroy(new Error(`no answer to ${path} within 15 s`)));
    req.end();
  });
}

/**
 * The built dashboard (next start) refuses requests under a Host it does not know, as the API does: pages, the
 * /api/* forwarder and the tap and top streams, before anything reaches the API. This is what stops a DNS-rebinding
 * page, served under its own name that resolves to this machine, from reading the mesh through the dashboard.
 */
describe('the dashboard server checks the Host of every request', () => {
  let api: Awaited<ReturnType<typeof startApi>>;
  let web: WebServer;
  let port: string;

  beforeAll(async () => {
    api = await startApi();
    // The default allow-list, whatever the environment running the tests says.
    web = await startWeb(api.url, { MESHVIZ_WEB_ALLOWED_HOSTS: undefined, MESHVIZ_WEB_NAMESPACE: undefined });
    port = new URL(web.url).port;
  });

  afterAll(async () => {
    await web?.stop();
    api?.server.closeAllConnections();
    await new Promise((resolve) => api?.server.close(resolve));
  });

  it('refuses a page under a foreign Host with 400 and a plain message saying why', async () => {
    const res = await get(web.url, '/workloads', FOREIGN);
    expect(res.status).toBe(400);
    expect(res.type).toBe('text/plain; charset=utf-8');
    expect(res.body).toContain(REFUSAL);
  });

  it.each(['/api/v1/stats?kind=deployment&namespace=all', '/api/v1/tap?namespace=bookshop', '/api/v1/top?namespace=bookshop'])(
    'refuses %s under a foreign Host with 400, without asking the API',
    async (path) => {
      const before = api.seen.length;
      const res = await get(web.url, path, FOREIGN);
      expect(res.status).toBe(400);
      expect(res.type).toBe('application/json');
      expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'WEB_HOST_NOT_ALLOWED', param: 'Host' } });
      expect(res.body).toContain(REFUSAL.replaceAll('"', '\\"'));
      expect(api.seen.length).toBe(before);
    },
  );

  it.each(['127.0.0.1:PORT', 'localhost:PORT', 'web.meshviz-viz.svc.cluster.local:8084'])(
    'serves pages, JSON and streams under %s',
    async (template) => {
      const host = template.replace('PORT', port);
      const page = await get(web.url, '/workloads', host);
      expect(page.status).toBe(200);
      expect(page.type).toBe('text/html; charset=utf-8');
      const stats = await get(web.url, '/api/v1/stats?kind=deployment&namespace=all', host);
      expect(stats).toMatchObject({ status: 200, type: 'application/json' });
      expect(JSON.parse(stats.body)).toEqual({ window: '1m', rows: [] });
      for (const stream of ['tap', 'top']) {
        const events = await get(web.url, `/api/v1/${stream}?namespace=bookshop`, host);
        expect(events).toMatchObject({ status: 200, type: 'text/event-stream; charset=utf-8' });
        expect(events.body).toBe('event: start\ndata: {"proxies":[]}\n\n');
      }
    },
  );

  describe('in a browser that resolves a foreign name to this machine (DNS rebinding)', () => {
    let browser: Browser;

    beforeAll(async () => {
      browser = await launchBrowser(['--host-resolver-rules=MAP evil.example 127.0.0.1']);
    });

    afterAll(async () => {
      await browser?.close();
    });

    it("shows the reason instead of the dashboard, and the page's own script cannot read the API", async () => {
      const page = await newDesktopPage(browser);
      const answer = await page.goto(`http://evil.example:${port}/`);
      expect(answer?.status()).toBe(400);
      expect(await page.locator('body').textContent()).toContain(`the Host header "evil.example:${port}" is not allowed`);
      await mkdir(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: fileURLToPath(new URL('host-refused.png', SCREENSHOTS)) });
      // What a rebinding page's script would do next: same-origin requests to the dashboard's API under its name.
      const read = await page.evaluate(async () => {
        const res = await fetch('/api/v1/stats?kind=deployment&namespace=all');
        return { status: res.status, body: await res.text() };
      });
      expect(read.status).toBe(400);
      expect(read.body).toContain('WEB_HOST_NOT_ALLOWED');
      await page.context().close();
    });

    it('serves the dashboard to the same browser under its loopback name', async () => {
      const page = await newDesktopPage(browser);
      const answer = await page.goto(`http://localhost:${port}/workloads`);
      expect(answer?.status()).toBe(200);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.context().close();
    });
  });
});
