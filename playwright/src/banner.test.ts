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
const BROKEN = { error: { code: 'API_INTERNAL', message: 'The API failed to read the stats' } };

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
  /** What /api/v1/stats answers from now on: 503 Prometheus unavailable, another failure (500), or good data. */
  mode: 'unavailable' | 'broken' | 'ok';
  statsRequests: number;
}

/**
 * Stands in for the API: the documented 503 with an ApiError body when its Prometheus is down, another failure, or a
 * good answer.
 * (The real API's own tests cover how it gets there; this is about what the browser shows.)
 */
async function startFakeApi(): Promise<FakeApi> {
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/api/v1/stats')) {
      api.statsRequests++;
      const [status, body] = api.mode === 'unavailable' ? [503, UNAVAILABLE] : api.mode === 'broken' ? [500, BROKEN] : [200, GOOD];
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
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

  it("shows the API's message in an alert when the API fails", async () => {
    api.mode = 'broken';
    const page = await newDesktopPage(browser);
    const workloads = new WorkloadsPage(page);
    await workloads.goto(web.url);

    const alert = page.getByRole('alert').filter({ hasText: 'The API failed to read the stats' });
    await alert.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await workloads.banner.getAttribute('role')).toBe('alert');
    expect(await workloads.banner.textContent()).toContain('API_INTERNAL');
    expect(await workloads.metricsOutage.count()).toBe(0);
    expect(api.statsRequests).toBeGreaterThan(0);

    const { blocking } = await auditAndCapture(page, 'banner');
    expect(blocking.light).toEqual([]);
    expect(blocking.dark).toEqual([]);
    await page.context().close();
  });

  it("says Prometheus is unreachable in the page frame's banner when the API answers 503, with no data yet", async () => {
    api.mode = 'unavailable';
    const page = await newDesktopPage(browser);
    const workloads = new WorkloadsPage(page);
    await workloads.goto(web.url);

    await workloads.metricsOutage.waitFor({ state: 'visible', timeout: 30_000 });
    const text = (await workloads.metricsOutage.textContent()) ?? '';
    expect(text).toContain('Prometheus is unreachable');
    expect(text).toContain('No numbers arrived before it stopped answering');
    expect(await page.getByRole('alert').filter({ hasText: 'Prometheus is unreachable' }).count()).toBe(1);
    // Said once, by the frame: the page does not repeat it.
    expect(await workloads.banner.count()).toBe(0);
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
    await workloads.metricsOutage.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await workloads.metricsOutage.textContent()).toMatch(/The numbers below are the last ones received, at \d/);
    expect(await workloads.row('bookshop', 'web').isVisible()).toBe(true);
    expect(await workloads.rps('bookshop', 'web')).toBe(2.5);
    expect(await workloads.metricsStale()).toBe(true);

    await workloads.screenshot(fileURLToPath(new URL('banner-with-data.png', SCREENSHOTS)));
    await page.context().close();
  });
});
