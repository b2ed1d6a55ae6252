import { TestIds } from '@meshviz/web/testids';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newDesktopPage } from './browser.js';
import { WorkloadsPage } from './pages/workloads-page.js';
import { auditAndCapture } from './support/capture.js';
import { MINI, type MiniMesh, startMiniMesh } from './support/mini-mesh.js';

/**
 * Prometheus stopped under a running dashboard, with traffic flowing through a real proxy: every page that reads
 * metrics shows the page frame's banner (what is wrong, since when, that it retries) above the last data, greyed;
 * started again on the same port, the banner goes and the numbers come back within one scrape interval (the
 * 5 s `meshviz up` scrapes at by default), without a reload.
 */
const SCRAPE_SECONDS = 5;
const PROMETHEUS_TIMEOUT_MS = 2_000;
const { namespace, deployment } = MINI;

describe('Prometheus stopped and started again under the dashboard', () => {
  let mesh: MiniMesh;
  let browser: Browser;

  beforeAll(async () => {
    [mesh, browser] = await Promise.all([
      startMiniMesh({ scrapeSeconds: SCRAPE_SECONDS, prometheusTimeoutMs: PROMETHEUS_TIMEOUT_MS, rps: 20 }),
      launchBrowser(),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await mesh?.stop();
  });

  it('says Prometheus is unreachable over the last data on every metrics page, and recovers by itself', async () => {
    const page = await newDesktopPage(browser);
    const workloads = new WorkloadsPage(page);
    await workloads.open(mesh.web.url, '/workloads', { namespace, refresh: '5s' });
    // Two scrapes make a rate.
    await workloads.waitForTraffic(namespace, deployment, 4 * SCRAPE_SECONDS * 1000);
    const before = await workloads.rps(namespace, deployment);
    expect(await workloads.metricsStale()).toBe(false);

    const stoppedAt = Date.now();
    await mesh.prometheus.stop('SIGTERM');
    // The next refresh (5 s) meets the API's 503 once its cached answer (half a scrape) has gone.
    await workloads.metricsOutage.waitFor({ state: 'visible', timeout: 5_000 + (SCRAPE_SECONDS * 1000) / 2 + PROMETHEUS_TIMEOUT_MS + 2_000 });
    const noticedMs = Date.now() - stoppedAt;
    const text = (await workloads.metricsOutage.textContent()) ?? '';
    expect(text).toContain('Prometheus is unreachable');
    const since = /cannot be read since (.+?): /.exec(text)?.[1];
    expect(since).toMatch(/^\d/);
    expect(text).toContain('API_PROMETHEUS_UNAVAILABLE');
    expect(text).toMatch(/last ones received, at \d/);
    expect(text).toContain('asks again every 2 s');
    expect(text).toContain('no need to reload');
    expect(await page.getByRole('alert').filter({ hasText: 'Prometheus is unreachable' }).count()).toBe(1);
    // The last data stays, marked stale; no section repeats the failure in a banner of its own.
    expect(await workloads.row(namespace, deployment).isVisible()).toBe(true);
    expect(await workloads.rps(namespace, deployment)).toBe(before);
    expect(await workloads.metricsStale()).toBe(true);
    expect(await page.locator('main table').evaluate((t) => getComputedStyle(t).filter)).toBe('grayscale(1)');
    expect(await workloads.banner.count()).toBe(0);

    const { blocking } = await auditAndCapture(page, 'prometheus-down');
    expect(blocking.light).toEqual([]);
    expect(blocking.dark).toEqual([]);

    // Another metrics page, reached in the page (no reload): the same banner, and no banner of its own.
    await workloads.nav('topology').click();
    await page.waitForURL(/\/topology/);
    await workloads.metricsOutage.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await workloads.metricsOutage.textContent()).toContain('Prometheus is unreachable');
    expect(await workloads.banner.count()).toBe(0);
    // Back in the page's history (no reload): the cached rows come back under the banner.
    await page.goBack();
    await page.waitForURL(/\/workloads\?/);
    await workloads.row(namespace, deployment).waitFor({ state: 'visible', timeout: 5_000 });
    await workloads.metricsOutage.waitFor({ state: 'visible', timeout: 5_000 });
    const updatedDuring = await page.getByTestId(TestIds.workloadsUpdatedAt).textContent();

    await mesh.prometheus.start();
    const readyAt = Date.now();
    await workloads.metricsOutage.waitFor({ state: 'hidden', timeout: SCRAPE_SECONDS * 1000 });
    const recoveredMs = Date.now() - readyAt;
    await workloads.metricsRecovered.waitFor({ state: 'visible', timeout: 1_000 });
    // The outage is dated from its start, through the page changes.
    expect(await workloads.metricsRecovered.textContent()).toContain(`Prometheus answers again: metrics could not be read from ${since} to `);
    expect(await workloads.metricsRecovered.textContent()).toContain('the numbers are current');
    expect(await workloads.metricsStale()).toBe(false);
    expect(await page.locator('main table').evaluate((t) => getComputedStyle(t).filter)).toBe('none');
    expect(await page.getByTestId(TestIds.workloadsUpdatedAt).textContent()).not.toBe(updatedDuring);
    expect(await workloads.rps(namespace, deployment)).toBeGreaterThan(0);
    await auditAndCapture(page, 'prometheus-recovered');
    expect(mesh.load.ok).toBeGreaterThan(0);
    process.stdout.write(`prometheus down: banner after ${noticedMs} ms; gone ${recoveredMs} ms after Prometheus was ready\n`);
    await page.context().close();
  });
});
