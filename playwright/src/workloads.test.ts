import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newDesktopPage } from './browser.js';
import { WorkloadsPage } from './pages/workloads-page.js';
import { auditAndCapture } from './support/capture.js';
import { demoStack } from './support/context.js';
import { DEMO_WORKLOADS } from './support/demo-traffic.js';

describe('workloads page on the demo mesh', () => {
  const { dashboardUrl } = demoStack();
  let browser: Browser;
  let page: Page;
  let workloads: WorkloadsPage;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await newDesktopPage(browser);
    workloads = new WorkloadsPage(page);
    await workloads.goto(dashboardUrl);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('lists every demo workload with traffic', async () => {
    for (const [namespace, workload] of DEMO_WORKLOADS) {
      await workloads.waitForTraffic(namespace, workload, 30_000);
      expect(await workloads.rps(namespace, workload)).toBeGreaterThan(0);
      expect(await workloads.rpsCell(namespace, workload).textContent()).not.toContain('no traffic');
    }
    expect(await workloads.banner.count()).toBe(0);
  });

  it('filters by namespace through the URL', async () => {
    await workloads.selectNamespace('billing');
    await page.waitForURL(/namespace=billing/);
    await workloads.row('bookshop', 'web').waitFor({ state: 'detached' });
    expect(await workloads.row('billing', 'payments').isVisible()).toBe(true);
    await workloads.selectNamespace('all');
    await workloads.row('bookshop', 'web').waitFor();
  });

  it('has no serious or critical accessibility findings, in either theme', async () => {
    const { blocking } = await auditAndCapture(page, 'workloads');
    expect(blocking.light).toEqual([]);
    expect(blocking.dark).toEqual([]);
  });

  it('links each workload to its detail page, keeping the view state', async () => {
    await workloads.goto(dashboardUrl);
    await workloads.windowSelect.selectOption('5m');
    await page.waitForURL(/window=5m/);
    // The URL changes first, the links follow on the next render.
    await expect.poll(() => workloads.link('bookshop', 'reviews').getAttribute('href'), { timeout: 5_000 }).toContain('window=5m');
    await workloads.link('bookshop', 'reviews').click();
    await page.waitForURL(/\/namespaces\/bookshop\/workloads\/reviews\?window=5m$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('reviews');
  });
});
