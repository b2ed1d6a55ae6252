import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newDesktopPage } from './browser.js';
import { TapPage } from './pages/tap-page.js';
import { auditAndCapture } from './support/capture.js';
import { demoStack } from './support/context.js';

const TOKEN_KEY = 'meshviz-tap-token';

describe('tap page on the demo mesh', () => {
  const { dashboardUrl, tapToken } = demoStack();
  let browser: Browser;
  let page: Page;
  let tap: TapPage;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await newDesktopPage(browser, { acceptDownloads: true });
    tap = new TapPage(page);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('takes the token from the link meshviz up prints and removes it from the address', async () => {
    await tap.goto(dashboardUrl, { namespace: 'bookshop' }, tapToken);
    await tap.filters.waitFor();
    expect(page.url()).not.toContain(tapToken);
    expect(await page.evaluate(() => window.location.hash)).toBe('');
    expect(tap.url.searchParams.get('namespace')).toBe('bookshop');
    expect(await page.evaluate((key) => sessionStorage.getItem(key), TOKEN_KEY)).toBe(tapToken);
    expect(await tap.tokenForm.count()).toBe(0);
    // Nothing streams before Start: tapping costs the proxies work.
    expect(await tap.streamStatus()).toBe('idle');
    await tap.empty.waitFor();
  });

  it('streams rows within a few seconds of Start, one per request, newest first', async () => {
    await tap.start.click();
    await tap.waitForStatus('live');
    await tap.completeRows.first().waitFor({ timeout: 10_000 });
    expect(await tap.count('seen')).toBeGreaterThan(0);
    const ids = await tap.rowIds();
    expect(new Set(ids).size).toBe(ids.length);
    // Ids are <namespace>/<pod>/<n>: every tapped proxy is in bookshop.
    for (const id of ids) expect(id).toMatch(/^bookshop\//);
  });

  it('opens a request with its three parts and their headers, by mouse and by keyboard', async () => {
    // Paused, so new requests do not move rows between reading one and clicking it.
    await tap.pause.click();
    const id = (await tap.completeRows.first().getAttribute('data-request-id'))!;
    await tap.row(id).click();
    await tap.panel.waitFor();
    expect(await tap.partKinds()).toEqual(['requestInit', 'responseInit', 'responseEnd']);
    expect(await tap.headers('requestInit').first().textContent()).toBeTruthy();
    expect(await tap.panel.textContent()).toContain(id);
    // Every hop of the demo is mutual TLS, between identities of its namespaces' workloads.
    expect(await tap.panelTls.textContent()).toMatch(/mTLS\s*[a-z-]+\.(bookshop|traffic|billing|outside).*→.*[a-z-]+\.(bookshop|billing)/);
    await page.keyboard.press('Escape');
    await tap.panel.waitFor({ state: 'detached' });

    const nextId = (await tap.completeRows.nth(1).getAttribute('data-request-id'))!;
    await tap.row(nextId).getByRole('button').focus();
    await page.keyboard.press('Enter');
    await tap.panel.waitFor();
    expect(await tap.panel.textContent()).toContain(nextId);
    // Arrow keys move between rows.
    const index = Number(await tap.row(nextId).getAttribute('data-index'));
    await tap.row(nextId).getByRole('button').focus();
    await page.keyboard.press('ArrowUp');
    expect(await page.evaluate(() => document.activeElement?.closest('tr')?.getAttribute('data-index'))).toBe(String(index - 1));
    await tap.panelClose.click();
    await tap.pause.click();
  });

  it('marks failing requests with an icon and words, not colour alone', async () => {
    // reviews answers 500 to one request in ten.
    const failed = tap.rowsWithOutcome('failure').first();
    await failed.waitFor({ timeout: 20_000 });
    // One read of the row in the page: the live table adds rows on top and keeps at most 20 in the DOM, so two
    // separate reads could land on different rows (or none).
    const seen = await failed.evaluate((row) => ({ text: row.textContent ?? '', icons: row.querySelectorAll('svg').length }));
    expect(seen.text).toMatch(/failed: 5\d\d/);
    expect(seen.icons).toBe(1);
  });

  it('pauses the table while the stream goes on, and shows what arrived on resume', async () => {
    await tap.pause.click();
    expect(await tap.pause.getAttribute('aria-pressed')).toBe('true');
    const frozen = await tap.rowIds();
    const shown = await tap.count('shown');
    await page.getByText(/requests? (has|have) arrived since/).waitFor();
    await page.waitForFunction(() => /[1-9][\d,]* requests? (has|have) arrived since/.test(document.body.textContent ?? ''), null, {
      timeout: 10_000,
    });
    expect(await tap.rowIds()).toEqual(frozen);
    expect(await tap.count('shown')).toBe(shown);
    expect(await tap.count('seen')).toBeGreaterThan(shown);
    await tap.pause.click();
    await page.waitForFunction(
      ([first, attr]) => document.querySelector(`[${attr}]`)?.getAttribute(attr) !== first,
      [frozen[0], 'data-request-id'] as const,
      { timeout: 10_000 },
    );
  });

  it('exports the captured events, all parts, as a JSON file', async () => {
    const download = page.waitForEvent('download');
    await tap.exportJson.click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^meshviz-tap-bookshop-\d{8}T\d{6}Z\.json$/);
    const saved = JSON.parse(await readFile((await file.path())!, 'utf8')) as {
      filters: Record<string, string>;
      events: { id: string; requestInit?: unknown; responseInit?: unknown; responseEnd?: unknown }[];
    };
    expect(saved.filters).toEqual({ namespace: 'bookshop' });
    expect(saved.events.length).toBeGreaterThan(2);
    for (const event of saved.events) {
      expect([event.requestInit, event.responseInit, event.responseEnd].filter(Boolean)).toHaveLength(1);
    }
    expect(saved.events.some((e) => e.responseEnd)).toBe(true);
  });

  it('has no serious or critical accessibility findings, in either theme', async () => {
    await tap.pause.click();
    await tap.completeRows.first().click();
    await tap.panel.waitFor();
    const { blocking } = await auditAndCapture(page, 'tap');
    expect(blocking.light).toEqual([]);
    expect(blocking.dark).toEqual([]);
    await tap.panelClose.click();
    await tap.pause.click();
  });

  it('keeps the filters in the URL and listens to what they say', async () => {
    await tap.filter('workload').fill('reviews');
    await page.waitForURL((url) => url.searchParams.get('workload') === 'reviews');
    // The stream still runs with the old filters: Start offers to restart with the new ones.
    await tap.start.click();
    await tap.waitForStatus('live');
    await tap.completeRows.first().waitFor({ timeout: 15_000 });
    for (const id of await tap.rowIds()) expect(id).toMatch(/^bookshop\/reviews-/);
    await page.reload();
    expect(await tap.filter('workload').inputValue()).toBe('reviews');
    // The token outlives a reload in this tab.
    expect(await tap.tokenForm.count()).toBe(0);
  });

  it('stops the stream on Stop, keeping the rows', async () => {
    await tap.start.click();
    await tap.completeRows.first().waitFor({ timeout: 15_000 });
    const closed = page.waitForEvent('requestfailed', (r) => new URL(r.url()).pathname === '/api/v1/tap');
    await tap.stop.click();
    await tap.waitForStatus('stopped');
    // Stop closes the connection (the API then ends its streams from the proxies).
    expect((await closed).failure()?.errorText).toMatch(/ABORTED/);
    const seen = await tap.count('seen');
    await page.waitForTimeout(1_500);
    expect(await tap.count('seen')).toBe(seen);
    expect(await tap.rows.count()).toBeGreaterThan(0);
  });

  it('closes the stream when the user leaves the page', async () => {
    await tap.start.click();
    await tap.waitForStatus('live');
    const closed = page.waitForEvent('requestfailed', (r) => new URL(r.url()).pathname === '/api/v1/tap');
    await tap.nav('top').click();
    await page.waitForURL((url) => url.pathname === '/top');
    expect((await closed).failure()?.errorText).toMatch(/ABORTED/);
    await tap.goto(dashboardUrl, { namespace: 'bookshop' });
    await tap.filters.waitFor();
  });

  it('explains a bad filter before anything is sent', async () => {
    await tap.filter('max_rps').fill('5000');
    await page.waitForURL((url) => url.searchParams.get('max_rps') === '5000');
    // The URL changes first, the page follows on the next render.
    await expect.poll(() => tap.start.isDisabled(), { timeout: 5_000 }).toBe(true);
    expect(await page.getByText(/max rps filter is not valid/).count()).toBe(1);
    await tap.filter('max_rps').fill('');
    await page.waitForURL((url) => !url.searchParams.has('max_rps'));
    await expect.poll(() => tap.start.isDisabled(), { timeout: 5_000 }).toBe(false);
  });
});

describe('tap token form', () => {
  const { dashboardUrl, tapToken } = demoStack();
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('asks for the token when the tab has none, and cannot start without it', async () => {
    const page = await newDesktopPage(browser);
    const tap = new TapPage(page);
    await tap.goto(dashboardUrl, { namespace: 'bookshop' });
    await tap.tokenForm.waitFor();
    expect(await tap.tokenForm.textContent()).toContain('Paste the tap token printed by meshviz up (or the operator’s API_TAP_TOKEN)');
    expect(await tap.start.isDisabled()).toBe(true);
    await page.context().close();
  });

  it("shows the API's 403 message for a wrong token and asks again; the right one then streams", async () => {
    const page = await newDesktopPage(browser);
    const tap = new TapPage(page);
    await tap.goto(dashboardUrl, { namespace: 'bookshop' }, 'not-the-tap-token');
    await tap.start.click();
    await tap.banner.filter({ hasText: 'this tap token is not valid' }).waitFor({ timeout: 15_000 });
    expect(await tap.banner.textContent()).toContain('API_TAP_FORBIDDEN');
    await tap.tokenForm.waitFor();
    expect(await page.evaluate((key) => sessionStorage.getItem(key), TOKEN_KEY)).toBeNull();

    await tap.tokenInput.fill(tapToken);
    await tap.tokenSubmit.click();
    await tap.tokenForm.waitFor({ state: 'detached' });
    await tap.start.click();
    await tap.completeRows.first().waitFor({ timeout: 15_000 });
    expect(await tap.banner.count()).toBe(0);
    await page.context().close();
  });

  it('takes a token from a link pasted into an open tab (only the fragment changes)', async () => {
    const page = await newDesktopPage(browser);
    const tap = new TapPage(page);
    await tap.goto(dashboardUrl, { namespace: 'bookshop' });
    await tap.tokenForm.waitFor();
    await page.evaluate((token) => {
      window.location.hash = `tap-token=${token}`;
    }, tapToken);
    await tap.tokenForm.waitFor({ state: 'detached' });
    expect(page.url()).not.toContain(tapToken);
    await page.context().close();
  });

  it('forgets the token on request', async () => {
    const page = await newDesktopPage(browser);
    const tap = new TapPage(page);
    await tap.goto(dashboardUrl, { namespace: 'bookshop' }, tapToken);
    await tap.forgetToken.click();
    await tap.tokenForm.waitFor();
    expect(await page.evaluate((key) => sessionStorage.getItem(key), TOKEN_KEY)).toBeNull();
    const { blocking } = await auditAndCapture(page, 'tap-token');
    expect(blocking.light).toEqual([]);
    expect(blocking.dark).toEqual([]);
    await page.context().close();
  });
});
