import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newDesktopPage } from './browser.js';
import { WorkloadDetailPage } from './pages/workload-detail-page.js';
import { auditAndCapture } from './support/capture.js';
import { demoStack } from './support/context.js';

describe('workload detail page on the demo mesh (bookshop/web)', () => {
  const { dashboardUrl, tapToken } = demoStack();
  let browser: Browser;
  let page: Page;
  let detail: WorkloadDetailPage;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await newDesktopPage(browser);
    detail = new WorkloadDetailPage(page);
    // 15 minutes: the stack is young, and a short range shows its data across the chart.
    await detail.goto(dashboardUrl, 'bookshop', 'web', { range: '15m' });
    await detail.neighbour('upstream', 'traffic', 'loadgen').waitFor({ timeout: 30_000 });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('shows the workload’s golden metrics with units', async () => {
    expect(await detail.title.textContent()).toBe('web');
    expect(await detail.stat('rps').textContent()).toMatch(/^\d+(\.\d+)? rps$/);
    expect(await detail.stat('successRate').textContent()).toMatch(/^\d+\.\d\d%$/);
    expect(await detail.stat('p99').textContent()).toMatch(/^[\d.]+ (µs|ms|s)$/);
    expect(await detail.stat('meshedPods').textContent()).toBe('2');
  });

  it('lists callers and callees with their security status', async () => {
    const loadgen = detail.neighbour('upstream', 'traffic', 'loadgen');
    // The demo runs with mTLS: the caller's hop is secured, and says by whom.
    expect(await loadgen.getAttribute('data-secured')).toBe('true');
    expect(await loadgen.textContent()).toMatch(/mTLS.*loadgen\.traffic.*→.*web\.bookshop/);
    for (const callee of ['catalog', 'reviews']) {
      await detail.neighbour('downstream', 'bookshop', callee).waitFor();
    }
    await detail.neighbour('downstream', 'billing', 'payments').waitFor();
    // The graph's code loads on demand.
    await detail.neighbourGraph.waitFor({ timeout: 15_000 });
  });

  it('lists its pods, each with the identity its proxy holds and when that certificate expires', async () => {
    await detail.pods.first().waitFor();
    expect(await detail.pods.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')).sort())).toEqual(['web-0', 'web-1']);
    await detail.podIdentities.first().waitFor();
    expect(await detail.podIdentities.allInnerTexts()).toEqual(['web.bookshop', 'web.bookshop']);
    // Leaves last 24 h and are renewed at 70 %: a fresh demo's expire in more than 7 hours.
    const expiries = await detail.pods.evaluateAll((rows) => rows.map((r) => r.lastElementChild?.textContent ?? ''));
    for (const text of expiries) expect(text).toMatch(/^in (\d+) h$/);
  });

  it('names the identities each secured neighbour hop proved', async () => {
    const row = detail.neighbour('downstream', 'bookshop', 'catalog');
    await row.waitFor();
    expect(await row.textContent()).toMatch(/mTLS.*web\.bookshop.*→.*catalog\.bookshop/);
  });

  it('offers live calls without starting them, then streams a small Top of the workload on Start', async () => {
    const streams: string[] = [];
    const onRequest = (request: { url(): string }) => {
      if (new URL(request.url()).pathname.startsWith('/api/v1/t')) streams.push(request.url());
    };
    page.on('request', onRequest);
    try {
      await detail.goto(dashboardUrl, 'bookshop', 'web', { range: '15m' }, `tap-token=${tapToken}`);
      await detail.liveCalls.section.waitFor();
      expect(page.url()).not.toContain(tapToken);
      await page.waitForTimeout(1_000);
      // Tapping costs the proxies work: nothing streams just because the page is open.
      expect(streams).toEqual([]);
      expect(await detail.liveCalls.streamStatus()).toBe('idle');
      expect(new URL(await detail.liveCalls.tapLink.getAttribute('href') ?? '', dashboardUrl).searchParams.toString()).toMatch(
        /namespace=bookshop&workload=web$/,
      );

      await detail.liveCalls.start.click();
      await detail.liveCalls.rows.first().waitFor({ timeout: 15_000 });
      expect(streams).toHaveLength(1);
      expect(new URL(streams[0]!).search).toBe('?namespace=bookshop&workload=web');
      await detail.liveCalls.stop.click();
      await detail.liveCalls.waitForStatus('stopped');
    } finally {
      page.off('request', onRequest);
    }
  });

  it('shows its routes: GET /books and POST /checkout, each with traffic', async () => {
    // web serves these two routes (apps/demo/mesh.yaml) and the load generator calls both: no empty table.
    for (const route of ['GET /books', 'POST /checkout']) await detail.routeRow(route).waitFor({ timeout: 30_000 });
    expect(await detail.routesEmpty.count()).toBe(0);
    const rows = await detail.routeRows.evaluateAll((rows) =>
      rows.map((r) => ({ route: r.getAttribute('data-route'), rps: Number(r.getAttribute('data-rps')) })),
    );
    expect(rows.map((r) => r.route).sort()).toEqual(['GET /books', 'POST /checkout']);
    for (const r of rows) expect(r.rps).toBeGreaterThan(0);
  });

  it('charts success rate, RPS and latency, with gaps where there is no data and legend toggles', async () => {
    for (const chart of ['success', 'rps', 'latency'] as const) await detail.charts.waitForPoints(chart, 2, 30_000);
    // The stack is younger than the range: the start of the range is a gap, not a line at zero.
    const rpsPath = await detail.charts.line('rps').locator('path').first().getAttribute('d');
    expect(rpsPath).toBeTruthy();
    await detail.charts.legendItem('p50').click();
    await page.waitForURL(/off=p50/);
    // The URL changes first, the legend follows on the next render.
    await expect.poll(() => detail.charts.legendItem('p50').getAttribute('aria-pressed'), { timeout: 5_000 }).toBe('false');
    await detail.charts.legendItem('p50').click();
    await page.waitForURL((url) => !url.searchParams.has('off'));
  });

  it('keeps the time range in the URL', async () => {
    await detail.rangeSelect.selectOption('5m');
    await page.waitForURL(/range=5m/);
    await detail.charts.waitForPoints('rps', 2, 15_000);
  });

  it('takes a custom from/to range into the URL, and explains a bad one', async () => {
    const pad = (n: number) => String(n).padStart(2, '0');
    const local = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
    // The form takes whole minutes: end at the next one (the form and the API allow a minute ahead), so the range
    // reaches now and holds data even when the stack is younger than the minute it started in.
    const now = new Date(Math.ceil(Date.now() / 60_000) * 60_000);
    await detail.rangeSelect.selectOption('custom');
    await detail.customFrom.fill(local(now));
    await detail.customTo.fill(local(new Date(now.getTime() - 600_000)));
    await detail.customApply.click();
    await page.getByRole('alert').filter({ hasText: 'The start must be before the end.' }).waitFor();
    await detail.customFrom.fill(local(new Date(now.getTime() - 600_000)));
    await detail.customTo.fill(local(now));
    await detail.customApply.click();
    await page.waitForURL((url) => url.searchParams.has('from') && url.searchParams.has('to') && !url.searchParams.has('range'));
    await expect.poll(() => detail.rangeSelect.inputValue(), { timeout: 5_000 }).toBe('custom');
    await detail.charts.waitForPoints('rps', 1, 15_000);
  });

  it('says so when the workload does not exist', async () => {
    await detail.goto(dashboardUrl, 'bookshop', 'no-such-workload');
    await detail.notFound.waitFor({ timeout: 15_000 });
    expect(await detail.notFound.textContent()).toMatch(/No workload bookshop\/no-such-workload/);
  });

  it('has no serious or critical accessibility findings, in either theme', async () => {
    await detail.goto(dashboardUrl, 'bookshop', 'web', { range: '15m' });
    await detail.charts.waitForPoints('latency', 2, 30_000);
    await detail.neighbour('upstream', 'traffic', 'loadgen').waitFor();
    const { blocking } = await auditAndCapture(page, 'workload-detail');
    expect(blocking.light).toEqual([]);
    expect(blocking.dark).toEqual([]);
  });
});
