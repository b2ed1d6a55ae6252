import { RowAttrs, TestIds } from '@meshviz/web/testids';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newDesktopPage } from './browser.js';
import { RoutesPage } from './pages/routes-page.js';
import { ServiceDetailPage } from './pages/service-detail-page.js';
import { TopologyPage } from './pages/topology-page.js';
import { WorkloadDetailPage } from './pages/workload-detail-page.js';
import { auditAndCapture } from './support/capture.js';
import { demoStack } from './support/context.js';

interface ApiService {
  service: { rps: number | null; successRate: number | null };
  upstreams: { id: string; rps: number | null }[];
  backends: { id: string; share: number | null }[];
}

describe('service detail page on the demo mesh (bookshop/catalog)', () => {
  const { dashboardUrl, apiUrl } = demoStack();
  let browser: Browser;
  let page: Page;
  let service: ServiceDetailPage;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await newDesktopPage(browser);
    service = new ServiceDetailPage(page);
    await service.goto(dashboardUrl, 'bookshop', 'catalog');
    await service.caller('bookshop', 'web').waitFor({ timeout: 30_000 });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('names the service by the authority its callers address, with its golden metrics', async () => {
    expect(await service.title.textContent()).toBe('catalog');
    expect(await service.subtitle.textContent()).toContain('catalog.bookshop.svc.cluster.local');
    expect(await service.stat('rps').textContent()).toMatch(/^\d+(\.\d+)? rps$/);
    // One of catalog's replicas sometimes fails and its callers retry it: what they see is about 100 %
    // (outbound.test.ts checks the attempts on the wire).
    expect(await service.stat('successRate').textContent()).toMatch(/^(100\.00|99\.\d\d)%$/);
    expect(await service.stat('p99').textContent()).toMatch(/^[\d.]+ (µs|ms|s)$/);
    // The demo runs with mTLS: all of its traffic is.
    expect(await service.stat('mtlsShare').textContent()).toBe('100%');
  });

  it('lists its callers and backends with the numbers the API gives', async () => {
    const api = (await (await fetch(`${apiUrl}/api/v1/services/bookshop/catalog?window=1m`)).json()) as ApiService;
    expect(api.upstreams.map((u) => u.id)).toEqual(['deployment/bookshop/web']);
    expect(api.backends.map((b) => b.id)).toEqual(['deployment/bookshop/catalog']);
    const caller = service.caller('bookshop', 'web');
    const rps = Number(await caller.getAttribute('data-rps'));
    expect(rps).toBeGreaterThan(0);
    // web is catalog's only caller: the service's traffic is what web sent, from the same answer.
    expect(await service.stat('rps').textContent()).toBe(`${rps < 100 ? rps.toFixed(2) : rps.toFixed(1)} rps`);
    expect(await caller.textContent()).toMatch(/mTLS.*web\.bookshop.*→.*catalog\.bookshop/);
    const backend = service.backend('bookshop', 'catalog');
    expect(await backend.getAttribute('data-share')).toBe('1');
    expect(await backend.textContent()).toMatch(/100%/);
    await service.neighbourGraph.waitFor({ timeout: 15_000 });
  });

  it('highlights the service itself in its neighbourhood graph, not the workload of the same name', async () => {
    await service.neighbourGraph.waitFor({ timeout: 15_000 });
    expect(await service.graphFocus()).toBe('service/bookshop/catalog');
  });

  it('links to its own routes, where the rows are what its callers measured', async () => {
    expect(await service.routesLink.textContent()).toBe('Routes');
    expect(await service.routesLink.getAttribute('href')).toBe('/routes?namespace=bookshop&service=catalog');
    await service.routesLink.click();
    await page.waitForURL(/\/routes\?namespace=bookshop&service=catalog$/);
    const routes = new RoutesPage(page);
    const row = routes.row('GET /books');
    await row.waitFor({ timeout: 30_000 });
    await routes.heading('Routes of service bookshop/catalog').waitFor();
    expect(await row.getAttribute(RowAttrs.direction)).toBe('outbound');
    expect(Number(await row.getAttribute(RowAttrs.rps))).toBeGreaterThan(0);
    await service.goto(dashboardUrl, 'bookshop', 'catalog');
    await service.backend('bookshop', 'catalog').waitFor({ timeout: 15_000 });
  });

  it('links each backend to its workload page, its routes and Tap', async () => {
    const href = (l: ReturnType<ServiceDetailPage['backendTapLink']>) => l.getAttribute('href');
    expect(await href(service.backendTapLink('bookshop', 'catalog'))).toBe('/tap?namespace=bookshop&workload=catalog');
    expect(await href(service.backendRoutesLink('bookshop', 'catalog'))).toBe('/routes?namespace=bookshop&workload=catalog');
    await service.backendLink('bookshop', 'catalog').click();
    await page.waitForURL(/\/namespaces\/bookshop\/workloads\/catalog$/);
  });

  it('keeps the window in the URL and says when a service had no traffic', async () => {
    await service.goto(dashboardUrl, 'bookshop', 'catalog', { window: '5m' });
    await service.caller('bookshop', 'web').waitFor({ timeout: 15_000 });
    expect(await service.stat('rps').locator('xpath=preceding-sibling::dt').textContent()).toBe('Traffic (5m)');
    await service.goto(dashboardUrl, 'bookshop', 'nope');
    await service.notFound.waitFor({ timeout: 15_000 });
    expect(await service.notFound.textContent()).toMatch(/service bookshop\/nope not found/);
  });

  it('opens from the workload page’s callee table', async () => {
    const detail = new WorkloadDetailPage(page);
    await detail.goto(dashboardUrl, 'bookshop', 'web');
    const row = detail.neighbour('downstream', 'bookshop', 'catalog');
    await row.waitFor({ timeout: 30_000 });
    await row.getByRole('link', { name: 'bookshop/catalog' }).click();
    await page.waitForURL(/\/namespaces\/bookshop\/services\/catalog$/);
    await service.caller('bookshop', 'web').waitFor({ timeout: 15_000 });
  });

  it('opens from the topology panel of a service node', async () => {
    const topology = new TopologyPage(page);
    await topology.goto(dashboardUrl, { selected: 'service/billing/payments' });
    await topology.panel.waitFor({ timeout: 30_000 });
    const link = page.getByTestId(TestIds.topologyPanelServiceLink);
    expect(await link.textContent()).toContain('billing/payments');
    await link.click();
    await page.waitForURL(/\/namespaces\/billing\/services\/payments$/);
    await service.caller('bookshop', 'web').waitFor({ timeout: 15_000 });
    await service.backend('billing', 'payments').waitFor();
  });

  it('has no serious or critical accessibility findings, in either theme', async () => {
    await service.goto(dashboardUrl, 'bookshop', 'catalog', { refresh: 'off' });
    await service.caller('bookshop', 'web').waitFor({ timeout: 30_000 });
    await service.neighbourGraph.waitFor({ timeout: 15_000 });
    await page.waitForTimeout(500);
    const { blocking } = await auditAndCapture(page, 'service-detail');
    expect(blocking.light).toEqual([]);
    expect(blocking.dark).toEqual([]);
  });
});
