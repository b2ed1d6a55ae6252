import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newDesktopPage } from './browser.js';
import { RoutesPage } from './pages/routes-page.js';
import { auditAndCapture } from './support/capture.js';
import { demoStack } from './support/context.js';

describe('routes page on the demo mesh', () => {
  const { dashboardUrl } = demoStack();
  let browser: Browser;
  let page: Page;
  let routes: RoutesPage;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await newDesktopPage(browser);
    routes = new RoutesPage(page);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('asks for a workload, and takes it into the URL', async () => {
    await routes.goto(dashboardUrl, { range: '15m' });
    await page.getByRole('heading', { name: 'Choose a workload' }).waitFor();
    await routes.picker.locator('option', { hasText: 'bookshop/reviews' }).waitFor({ state: 'attached' });
    await routes.picker.selectOption('bookshop/reviews');
    await page.waitForURL(/namespace=bookshop&workload=reviews/);
  });

  it('shows per-route rows with charts of the chosen route, or a clear empty state', async () => {
    await routes.table.or(routes.empty).first().waitFor({ timeout: 15_000 });
    if (await routes.empty.isVisible()) {
      // The proxy may not emit route metrics yet: the page says what to do instead of showing zeros.
      expect(await routes.empty.textContent()).toMatch(/No route metrics for bookshop\/reviews/);
      return;
    }
    const first = routes.rows.first();
    const route = (await first.getAttribute('data-route')) ?? '';
    await first.getByRole('link').click();
    await page.waitForURL((url) => url.searchParams.get('route') === route);
    await routes.charts.waitForPoints('rps', 1, 30_000);
  });

  it('has no serious or critical accessibility findings, in either theme', async () => {
    const { blocking } = await auditAndCapture(page, 'routes');
    expect(blocking.light).toEqual([]);
    expect(blocking.dark).toEqual([]);
  });
});
