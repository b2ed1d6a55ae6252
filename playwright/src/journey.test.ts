import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newDesktopPage } from './browser.js';
import { OverviewPage } from './pages/overview-page.js';
import { RoutesPage } from './pages/routes-page.js';
import { TapPage } from './pages/tap-page.js';
import { WorkloadDetailPage } from './pages/workload-detail-page.js';
import { WorkloadsPage } from './pages/workloads-page.js';
import { demoStack } from './support/context.js';

/** "90.01%" → 0.9001; null for anything else ("—", "no traffic"). */
function percent(text: string | null): number | null {
  const m = /(\d+(?:\.\d+)?)\s*%/.exec(text ?? '');
  return m ? Number(m[1]) / 100 : null;
}

/**
 * What a new user does with the demo: from the overview to the failing workload (bookshop/reviews answers 10 % of
 * GET /reviews with 500), its success rate on a chart, the failing route, and the failing requests in Tap, by
 * clicking through the pages as they link to each other.
 */
describe('from the overview to the failing requests', () => {
  const { dashboardUrl, tapToken } = demoStack();
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await newDesktopPage(browser);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('finds the failing workload, its chart, its failing route and its failing requests', async () => {
    const overview = new OverviewPage(page);
    // The link `meshviz up` prints: the token is kept for the tab, then the overview opens.
    await overview.open(dashboardUrl, '/', {}, `tap-token=${tapToken}`);
    await overview.namespaceLink('bookshop').click();
    await page.waitForURL(/\/workloads\?.*namespace=bookshop/);

    const workloads = new WorkloadsPage(page);
    await workloads.waitForTraffic('bookshop', 'reviews', 60_000);
    const listed = percent(await workloads.successRateCell('bookshop', 'reviews').textContent());
    expect(listed).not.toBeNull();
    expect(listed!).toBeLessThan(0.99);
    await workloads.link('bookshop', 'reviews').click();
    await page.waitForURL(/\/namespaces\/bookshop\/workloads\/reviews/);

    const detail = new WorkloadDetailPage(page);
    expect(await detail.title.textContent()).toBe('reviews');
    await detail.charts.waitForPoints('success', 2, 30_000);
    expect(percent(await detail.stat('successRate').textContent())!).toBeLessThan(0.99);

    await detail.routeChartsLink.click();
    await page.waitForURL(/\/routes\?.*workload=reviews/);
    const routes = new RoutesPage(page);
    await routes.row('GET /reviews').waitFor({ timeout: 30_000 });
    expect(percent(await routes.row('GET /reviews').textContent())!).toBeLessThan(0.99);
    await routes.link('GET /reviews').click();
    await page.waitForURL(/route=GET(\+|%20)%2Freviews/);
    await routes.charts.waitForPoints('success', 2, 30_000);

    // Back to the workload, then to Tap of it, where the 500s show as failing rows.
    await page.goBack();
    await page.goBack();
    await detail.tapLink.click();
    await page.waitForURL(/\/tap\?.*workload=reviews/);
    const tap = new TapPage(page);
    await tap.start.click();
    await tap.waitForStatus('live');
    await tap.rowsWithOutcome('failure').first().waitFor({ timeout: 30_000 });
    const failing = tap.rowsWithOutcome('failure').first();
    expect(await failing.textContent()).toContain('500');
    expect(await failing.textContent()).toContain('/reviews');
    await tap.stop.click();
  }, 180_000);
});
