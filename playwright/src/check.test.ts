import { RowAttrs, TestIds } from '@meshviz/web/testids';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newDesktopPage } from './browser.js';
import { CheckPage } from './pages/check-page.js';
import { auditAndCapture } from './support/capture.js';
import { demoStack } from './support/context.js';

describe('check page on the demo mesh', () => {
  const { dashboardUrl } = demoStack();
  let browser: Browser;
  let page: Page;
  let check: CheckPage;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await newDesktopPage(browser);
    check = new CheckPage(page);
    await check.goto(dashboardUrl);
    await check.overall.waitFor({ timeout: 30_000 });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('shows each check with its status and detail', async () => {
    expect(await check.status(check.overall)).toBe('ok');
    expect(await check.items.count()).toBeGreaterThanOrEqual(3);
    expect(await check.status(check.item('prometheus-reachable'))).toBe('ok');
    expect(await check.item('prometheus-reachable').textContent()).toMatch(/scrape interval 1s/);
  });

  it('lists every scrape target as up', async () => {
    // Eleven proxies: web ×2, catalog ×2, reviews, reviews-v2, payments ×2, ledger, the load generator and the scraper.
    const up = `[data-testid="${TestIds.targetRow}"][${RowAttrs.status}="up"]`;
    await page.waitForFunction((selector) => document.querySelectorAll(selector).length === 11, up, { timeout: 15_000 });
    expect(await check.targets.count()).toBe(11);
  });

  it('has no serious or critical accessibility findings, in either theme', async () => {
    const { blocking } = await auditAndCapture(page, 'check');
    expect(blocking.light).toEqual([]);
    expect(blocking.dark).toEqual([]);
  });
});
