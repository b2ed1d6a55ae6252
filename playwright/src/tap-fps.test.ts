import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP_VIEWPORT, launchBrowser, newDesktopPage } from './browser.js';
import { TapPage } from './pages/tap-page.js';
import { writeFpsResult } from './support/fps-results.js';
import { measureFrames } from './support/measure-frames.js';
import { startWeb, type WebServer } from './web-server.js';

/** Requests per second the stand-in streams, each as its three parts: 3000 events a second. */
const REQUESTS_PER_SECOND = 1_000;
const TICK_MS = 20;
const MEASURE_MS = 5_000;
/**
 * The frame rate the Tap page promises under that stream, and what the spec asserts: headless Chromium without a
 * GPU, on 2 cores, draws it at about 47 to 57 fps, so the target holds with room to spare.
 */
const TARGET_FPS = 30;

/** Three parts of a made-up request, shaped as the API streams them. */
function parts(n: number): string {
  const pod = `web-${n % 4}`;
  const base = {
    id: `bench/${pod}/${n}`,
    direction: n % 2 === 0 ? 'outbound' : 'inbound',
    source: { addr: `10.0.0.${n % 250}:40000`, namespace: 'bench', deployment: 'web', pod },
    destination: { addr: '10.0.1.1:8080', namespace: 'bench', deployment: 'api', pod: `api-${n % 3}` },
    proxy: { namespace: 'bench', deployment: 'web', pod },
  };
  const failed = n % 20 === 0;
  const events = [
    {
      ...base,
      requestInit: {
        method: n % 5 === 0 ? 'POST' : 'GET',
        scheme: 'http',
        authority: 'api.bench.svc.cluster.local',
        path: `/items/${n % 1000}`,
        headers: [
          { name: 'host', value: 'api.bench.svc.cluster.local' },
          { name: 'authorization', value: '[redacted]' },
        ],
        timestampMs: Date.now(),
      },
    },
    { ...base, responseInit: { status: failed ? 503 : 200, headers: [{ name: 'content-type', value: 'application/json' }], sinceRequestInitMs: 1.5 } },
    { ...base, responseEnd: { grpcStatus: null, reset: '', responseBytes: 120 + (n % 300), sinceRequestInitMs: 2.5, sinceResponseInitMs: 1 } },
  ];
  return events.map((e) => `event: tap\ndata: ${JSON.stringify(e)}\n\n`).join('');
}

/** Stands in for the API's tap route with a steady 1000 requests a second; every other path answers 404. */
async function startFloodApi(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (!req.url?.startsWith('/api/v1/tap')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'API_NOT_FOUND', message: 'Not found' } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' });
    res.write('event: start\ndata: {"proxies":["bench/web-0","bench/web-1","bench/web-2","bench/web-3"]}\n\n');
    let n = 0;
    const perTick = (REQUESTS_PER_SECOND * TICK_MS) / 1000;
    const timer = setInterval(() => {
      let chunk = '';
      for (let i = 0; i < perTick; i++) chunk += parts(n++);
      res.write(chunk);
    }, TICK_MS);
    res.on('close', () => clearInterval(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * The real Tap page fed 1000 requests a second (3000 events) by a stand-in API through the real dashboard server,
 * while the user scrolls the table: it must keep up with the stream, keep its rows windowed and draw at TARGET_FPS
 * or more. Writes playwright/results/tap-fps.json whether it does or not.
 */
describe('tap page under 1000 requests a second', () => {
  let api: Awaited<ReturnType<typeof startFloodApi>>;
  let web: WebServer;
  let browser: Browser;

  beforeAll(async () => {
    api = await startFloodApi();
    web = await startWeb(api.url);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    api?.server.closeAllConnections();
    await new Promise((resolve) => api?.server.close(resolve));
  });

  it('keeps up with the stream and keeps the DOM small while scrolling', async () => {
    const page = await newDesktopPage(browser);
    const tap = new TapPage(page);
    await tap.goto(web.url, { namespace: 'bench', max_rps: String(REQUESTS_PER_SECOND) }, 'stand-in-token');
    await tap.start.click();
    await tap.rows.first().waitFor({ timeout: 15_000 });
    await page.waitForTimeout(1_000);

    const box = await tap.table.boundingBox();
    if (!box) throw new Error('the tap table is not on screen');
    const seenBefore = await tap.count('seen');
    const started = Date.now();
    let domRowsMax = 0;
    const measurement = await measureFrames(page, async () => {
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      while (Date.now() - started < MEASURE_MS) {
        // Read a little further down, then back up, as someone looking through the rows does.
        const phase = Math.floor((Date.now() - started) / 1000) % 2;
        await page.mouse.wheel(0, phase === 0 ? 120 : -120);
        domRowsMax = Math.max(domRowsMax, await tap.rows.count());
        await page.waitForTimeout(50);
      }
    });
    const elapsedS = (Date.now() - started) / 1000;
    const seenAfter = await tap.count('seen');
    const seenPerSecond = Math.round((seenAfter - seenBefore) / elapsedS);
    const shown = await tap.count('shown');

    const result = {
      measuredAt: new Date().toISOString(),
      targetFps: TARGET_FPS,
      stream: { requestsPerSecond: REQUESTS_PER_SECOND, eventsPerSecond: REQUESTS_PER_SECOND * 3 },
      viewport: DESKTOP_VIEWPORT,
      browser: 'Chromium (headless, no GPU) through playwright-core',
      host: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown' },
      seenPerSecond,
      rowsOnPage: shown,
      domRowsMax,
      ...measurement,
    };
    await writeFpsResult('tap-fps', result);
    console.log(
      `tap at ${REQUESTS_PER_SECOND} req/s: ${measurement.fps} fps (target ${TARGET_FPS}, p95 frame ${measurement.frameMs.p95} ms), ` +
        `${seenPerSecond} requests/s shown, at most ${domRowsMax} rows in the DOM, ${measurement.longTasks.count} long tasks`,
    );

    // The page keeps up with the stream (within 20 %), and windowing holds however many rows it has.
    expect(seenPerSecond).toBeGreaterThan(REQUESTS_PER_SECOND * 0.8);
    expect(shown).toBeGreaterThan(1_000);
    expect(domRowsMax).toBeLessThan(80);
    expect(measurement.fps).toBeGreaterThanOrEqual(TARGET_FPS);
    await page.context().close();
  });
});
