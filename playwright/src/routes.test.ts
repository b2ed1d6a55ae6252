import { RowAttrs } from '@meshviz/web/testids';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newDesktopPage } from './browser.js';
import { RoutesPage } from './pages/routes-page.js';
import { auditAndCapture } from './support/capture.js';
import { demoStack } from './support/context.js';

interface ApiRoutes {
  service?: string;
  rows: { route: string; rps: number | null; direction?: string }[];
}

describe('routes page on the demo mesh', () => {
  const { dashboardUrl, apiUrl } = demoStack();
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

  it('asks for a workload or a service, offers both, and takes the choice into the URL', async () => {
    await routes.goto(dashboardUrl, { range: '15m' });
    await page.getByRole('heading', { name: 'Choose a workload or service' }).waitFor();
    await routes.picker.locator('option[value="service/bookshop/reviews"]').waitFor({ state: 'attached' });
    await routes.picker.locator('option[value="workload/bookshop/reviews"]').waitFor({ state: 'attached' });
    await routes.picker.selectOption('workload/bookshop/reviews');
    await page.waitForURL(/namespace=bookshop&workload=reviews/);
    await routes.heading('Routes of workload bookshop/reviews').waitFor();
  });

  it("shows the workload's routes with the API's rows, and charts of the chosen route", async () => {
    // reviews serves one route, GET /reviews (apps/demo/mesh.yaml), and the stack has traffic: no empty table.
    const row = routes.row('GET /reviews');
    await row.waitFor({ timeout: 30_000 });
    expect(await routes.empty.count()).toBe(0);
    expect(await row.getAttribute(RowAttrs.direction)).toBe('inbound');
    expect(Number(await row.getAttribute(RowAttrs.rps))).toBeGreaterThan(0);
    const api = (await (await fetch(`${apiUrl}/api/v1/routes?namespace=bookshop&workload=reviews&window=1m`)).json()) as ApiRoutes;
    expect(api.rows.map((r) => r.route)).toEqual(['GET /reviews']);
    const shown = await routes.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-route')));
    expect(shown).toEqual(['GET /reviews']);
    await routes.link('GET /reviews').click();
    await page.waitForURL((url) => url.searchParams.get('route') === 'GET /reviews');
    await routes.charts.waitForPoints('rps', 1, 30_000);
  });

  it('has no serious or critical accessibility findings, in either theme', async () => {
    const { blocking } = await auditAndCapture(page, 'routes');
    expect(blocking.light).toEqual([]);
    expect(blocking.dark).toEqual([]);
  });

  it("switches to a service in the picker: its routes as its callers saw them, with the API's rows", async () => {
    await routes.picker.selectOption('service/bookshop/reviews');
    await page.waitForURL((url) => url.searchParams.get('service') === 'reviews' && !url.searchParams.has('workload'));
    expect(new URL(page.url()).searchParams.has('route')).toBe(false);
    await routes.heading('Routes of service bookshop/reviews').waitFor();
    // web is the only caller of reviews: its proxies measured the route they follow to it, the HTTPRoute
    // reviews-canary that splits it with reviews-v2 (apps/demo/policy/bookshop.yaml).
    const row = routes.row('reviews-canary');
    await row.waitFor({ timeout: 30_000 });
    expect(await row.getAttribute(RowAttrs.direction)).toBe('outbound');
    expect(await row.textContent()).toMatch(/callers$/);
    expect(Number(await row.getAttribute(RowAttrs.rps))).toBeGreaterThan(0);
    // reviews fails one GET /reviews in ten, reviews-v2 none, and the callers see that (reviews has no retries).
    const success = Number(await row.getAttribute(RowAttrs.successRate));
    expect(success).toBeGreaterThan(0.85);
    expect(success).toBeLessThan(0.95);
    const api = (await (await fetch(`${apiUrl}/api/v1/routes?namespace=bookshop&service=reviews&window=1m`)).json()) as ApiRoutes;
    expect(api.service).toBe('reviews');
    const shown = await routes.rows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-route')));
    expect(shown).toEqual(api.rows.map((r) => r.route));
    // Route charts are kept per workload: a service's route names select nothing, and the page says where charts are.
    expect(await routes.links.count()).toBe(0);
    await page.getByRole('link', { name: 'service page' }).waitFor();
  });

  it("opens a service's routes from the address, and keeps the picker on it", async () => {
    await routes.goto(dashboardUrl, { namespace: 'bookshop', service: 'catalog', refresh: 'off' });
    await routes.row('GET /books').waitFor({ timeout: 30_000 });
    expect(await routes.title.textContent()).toBe('Routes of service bookshop/catalog');
    expect(await routes.picker.inputValue()).toBe('service/bookshop/catalog');
    expect(await routes.row('GET /books').getAttribute(RowAttrs.direction)).toBe('outbound');
    await page.getByRole('link', { name: 'bookshop/catalog', exact: true }).click();
    await page.waitForURL(/\/namespaces\/bookshop\/services\/catalog\?refresh=off$/);
  });

  it('explains an address it cannot show instead of asking the API', async () => {
    await routes.goto(dashboardUrl, { namespace: 'bookshop', service: 'Bad_Name' });
    await routes.invalid.waitFor();
    expect(await routes.invalid.getAttribute('data-param')).toBe('service');
    expect(await routes.invalid.textContent()).toContain('The service name “Bad_Name” must be a DNS-1123 label');
    expect(await routes.picker.inputValue()).toBe('');
    expect(await routes.banner.count()).toBe(0);
    const { blocking } = await auditAndCapture(page, 'routes-invalid');
    expect(blocking.light).toEqual([]);
    expect(blocking.dark).toEqual([]);

    await routes.goto(dashboardUrl, { namespace: 'bookshop', workload: 'web', service: 'reviews' });
    await routes.invalid.waitFor();
    expect(await routes.invalid.textContent()).toContain('names both workload “web” and service “reviews”');
    // The picker still works from there.
    await routes.picker.locator('option[value="service/bookshop/reviews"]').waitFor({ state: 'attached' });
    await routes.picker.selectOption('service/bookshop/reviews');
    await routes.row('GET /reviews').waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).searchParams.has('workload')).toBe(false);
  });

  it("has no serious or critical accessibility findings on a service's routes, in either theme", async () => {
    await routes.goto(dashboardUrl, { namespace: 'bookshop', service: 'reviews', refresh: 'off' });
    await routes.row('GET /reviews').waitFor({ timeout: 30_000 });
    const { blocking } = await auditAndCapture(page, 'routes-service');
    expect(blocking.light).toEqual([]);
    expect(blocking.dark).toEqual([]);
  });
});
