import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newDesktopPage } from './browser.js';
import { WorkloadsPage } from './pages/workloads-page.js';
import { auditAndCapture } from './support/capture.js';
import { startWeb, type WebServer } from './web-server.js';

const SCREENSHOTS = new URL('../screenshots/', import.meta.url);
const UNAVAILABLE = { error: { code: 'API_PROMETHEUS_UNAVAILABLE', message: 'Prometheus is not reachable' } };

const GOOD = {
  window: '1m',
  rows: [
    {
      kind: 'deployment',
      namespace: 'bookshop',
      name: 'web',
      meshedPods: 1,
      rps: 2.5,
      successRate: 1,
      latencyMs: { p50: 1.5, p95: 4, p99: 9 },
    },
  ],
};

interface FakeApi {
  server: Server;
  url: string;
  /** What /api/v1/stats answers from now on. */
  mode: 'unavailable' | 'ok';
  statsRequests: number;
}

/**
 * Stands in for the API: the documented 503 with an ApiError body when its Prometheus is down, or a good answer.
 * (The real API's own tests cover how it gets there; this is about what the browser shows.)
 */
async function startFakeApi(): Promise<FakeApi> {
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/api/v1/stats')) {
      api.statsRequests++;
      const unavailable = api.mode === 'unavailable';
      res.writeHead(unavailable ? 503 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(unavailable ? UNAVAILABLE : GOOD));
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'API_NOT_FOUND', message: 'Not found' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const api: FakeApi = { server, url: `http://127.0.0.1:${port}`, mode: 'unavailable', statsRequests: 0 };
  return api;
}

describe('API error banner', () => {
  let api: FakeApi;
  let web: WebServer;
  let browser: Browser;

  beforeAll(async () => {
    api = await startFakeApi();
    web = await startWeb(api.url);
    browser = await launchBrowser();
    await mkdir(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    api?.server.closeAllConnections();
    await new Promise((resolve) => api?.server.close(resolve));
  });

  it("shows the API's message in an alert when the API answers 503", async () => {
    api.mode = 'unavailable';
    const page = await newDesktopPage(browser);
    const workloads = new WorkloadsPage(page);
    await workloads.goto(web.url);

    const alert = page.getByRole('alert').filter({ hasText: 'Prometheus is not reachable' });
    await alert.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await workloads.banner.getAttribute('role')).toBe('alert');
    expect(await workloads.banner.textContent()).toContain('Prometheus is not reachable');
    expect(api.statsRequests).toBeGreaterThan(0);

    const { blocking } = await auditAndCapture(page, 'banner');
    expect(blocking.light).toEqual([]);
    expect(blocking.dark).toEqual([]);
    await page.context().close();
  });

  it('keeps the last good data on screen under the banner', async () => {
    api.mode = 'ok';
    const page = await newDesktopPage(browser);
    const workloads = new WorkloadsPage(page);
    await workloads.goto(web.url);
    await workloads.row('bookshop', 'web').waitFor({ state: 'visible', timeout: 30_000 });

    api.mode = 'unavailable';
    // The next refresh (every 5 s) meets the 503.
    await workloads.banner.filter({ hasText: 'Prometheus is not reachable' }).waitFor({ state: 'visible', timeout: 30_000 });
    expect(await workloads.row('bookshop', 'web').isVisible()).toBe(true);
    expect(await workloads.rps('bookshop', 'web')).toBe(2.5);

    await workloads.screenshot(fileURLToPath(new URL('banner-with-data.png', SCREENSHOTS)));
    await page.context().close();
  });
});
