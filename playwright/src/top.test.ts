import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newDesktopPage } from './browser.js';
import { TopPage } from './pages/top-page.js';
import { auditAndCapture } from './support/capture.js';
import { demoStack } from './support/context.js';

describe('top page on the demo mesh', () => {
  const { dashboardUrl, tapToken } = demoStack();
  let browser: Browser;
  let page: Page;
  let top: TopPage;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await newDesktopPage(browser);
    top = new TopPage(page);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('does not stream until Start, then shows rows with counts, busiest first', async () => {
    await top.goto(dashboardUrl, { namespace: 'bookshop' }, tapToken);
    await top.filters.waitFor();
    expect(page.url()).not.toContain(tapToken);
    expect(await top.streamStatus()).toBe('idle');
    await top.empty.waitFor();

    await top.start.click();
    await top.waitForStatus('live');
    await top.rows.first().waitFor({ timeout: 15_000 });
    // Snapshots come once a second: wait for one with a few requests in it.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="top-row"]').length >= 3, null, { timeout: 15_000 });
    const counts = await top.counts();
    expect(counts.every((n) => n > 0)).toBe(true);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    // Rows are the busiest 100 groups; every finished request is counted in events.
    expect(await top.count('events')).toBeGreaterThanOrEqual(counts.reduce((a, b) => a + b, 0));
    const destinations = await top.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-destination')));
    expect(destinations).toContain('bookshop/reviews');
  });

  it('sorts by a column, keeping the choice in the URL', async () => {
    await top.sortBy('worst').click();
    await page.waitForURL((url) => url.searchParams.get('sort') === 'worst');
    // The URL changes first, the table follows on the next render.
    await page.locator('th[aria-sort="descending"]', { hasText: 'Worst' }).waitFor({ timeout: 5_000 });
    await top.sortBy('worst').click();
    await page.waitForURL((url) => url.searchParams.get('order') === 'asc');
    await page.locator('th[aria-sort="ascending"]', { hasText: 'Worst' }).waitFor({ timeout: 5_000 });
    await top.sortBy('count').click();
    await page.waitForURL((url) => !url.searchParams.has('sort') && !url.searchParams.has('order'));
  });

  it('has no serious or critical accessibility findings, in either theme', async () => {
    const { blocking } = await auditAndCapture(page, 'top');
    expect(blocking.light).toEqual([]);
    expect(blocking.dark).toEqual([]);
  });

  it('stops on Stop and keeps the last table', async () => {
    await top.stop.click();
    await top.waitForStatus('stopped');
    expect(await top.rows.count()).toBeGreaterThan(0);
  });

  it('asks for the token in a tab that has none', async () => {
    const other = await newDesktopPage(browser);
    const fresh = new TopPage(other);
    await fresh.goto(dashboardUrl, { namespace: 'bookshop' });
    await fresh.tokenForm.waitFor();
    expect(await fresh.start.isDisabled()).toBe(true);
    await other.context().close();
  });
});
