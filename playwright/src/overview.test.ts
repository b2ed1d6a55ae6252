import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newDesktopPage } from './browser.js';
import { OverviewPage } from './pages/overview-page.js';
import { auditAndCapture } from './support/capture.js';
import { demoStack } from './support/context.js';

describe('overview page on the demo mesh', () => {
  const { dashboardUrl } = demoStack();
  let browser: Browser;
  let page: Page;
  let overview: OverviewPage;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await newDesktopPage(browser);
    overview = new OverviewPage(page);
    await overview.goto(dashboardUrl);
    await overview.row('bookshop').waitFor({ timeout: 30_000 });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('shows each namespace with its meshed pods and traffic', async () => {
    // The demo runs web ×2, catalog ×2, reviews and reviews-v2 in bookshop; payments ×2 and ledger in billing.
    expect(await overview.meshedPods('bookshop')).toBe(6);
    expect(await overview.meshedPods('billing')).toBe(3);
    expect(await overview.rps('bookshop')).toBeGreaterThan(0);
    expect(await overview.rps('billing')).toBeGreaterThan(0);
    expect(await overview.summary.textContent()).toMatch(/Meshed pods\s*\d+/);
    expect(await overview.banner.count()).toBe(0);
  });

  it('has no serious or critical accessibility findings, in either theme', async () => {
    const { blocking } = await auditAndCapture(page, 'overview');
    expect(blocking.light).toEqual([]);
    expect(blocking.dark).toEqual([]);
  });

  it('is usable from the keyboard: tab to a nav link, with a visible focus ring, and follow it', async () => {
    await overview.goto(dashboardUrl);
    await overview.row('bookshop').waitFor();
    const target = overview.nav('workloads');
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      if (await target.evaluate((el) => el === document.activeElement)) break;
    }
    expect(await target.evaluate((el) => el === document.activeElement)).toBe(true);
    const outline = await target.evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline).not.toBe('none');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/workloads$/);
  });

  it('links a namespace to its workloads', async () => {
    await overview.goto(dashboardUrl);
    await overview.namespaceLink('billing').click();
    await page.waitForURL(/\/workloads\?namespace=billing$/);
  });

  it('switches theme with the toggle and remembers it across a reload', async () => {
    await overview.goto(dashboardUrl);
    await overview.row('bookshop').waitFor();
    const before = await overview.theme();
    await overview.themeToggle.click();
    const after = await overview.theme();
    expect(after).not.toBe(before);
    await page.reload();
    expect(await overview.theme()).toBe(after);
    await page.evaluate(() => localStorage.clear());
  });
});
