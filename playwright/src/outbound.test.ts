import type { RoutesResponse, ServiceDetailResponse, StatsResponse } from '@meshviz/mesh-types';
import { RowAttrs } from '@meshviz/web/testids';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newDesktopPage } from './browser.js';
import { RoutesPage } from './pages/routes-page.js';
import { ServiceDetailPage } from './pages/service-detail-page.js';
import { TopologyPage } from './pages/topology-page.js';
import { auditAndCapture } from './support/capture.js';
import { demoStack } from './support/context.js';

/**
 * Outbound reliability on the demo mesh: bookshop/reviews splits its traffic 90/10 between reviews and reviews-v2;
 * one of catalog's replicas sometimes fails and its callers retry, so catalog's effective success rate is about
 * 100 % while the attempts on the wire succeed less often; and a route of the demo has a request timeout. The
 * configured side comes from the discovery table `meshviz up` gives the API (API_DESTINATIONS_FILE). Each test
 * first waits for the API's own answer, and fails saying what it lacks when the demo does not have it.
 */
const RATE_TIMEOUT_MS = 90_000;
/** How far a measured share of 1 min of demo traffic may stray from its configured weight. */
const SHARE_TOLERANCE = 0.07;
const SPLIT_EDGE = 'service/bookshop/reviews->service/bookshop/reviews-v2';
const SELF_EDGE = 'service/bookshop/reviews->deployment/bookshop/reviews';

/** "99.70%" → 0.997; null for anything else ("—", "no traffic"). */
function percent(text: string | null): number | null {
  const m = /(\d+(?:\.\d+)?)\s*%/.exec(text ?? '');
  return m ? Number(m[1]) / 100 : null;
}

/** Polls an API path until `check` returns a value, or fails with what the last answer lacked. */
async function untilApi<T, R>(apiUrl: string, path: string, check: (body: T) => R | string): Promise<R> {
  const deadline = Date.now() + RATE_TIMEOUT_MS;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${apiUrl}${path}`);
      const body = (await res.json()) as T;
      const result = res.ok ? check(body) : `HTTP ${res.status}: ${JSON.stringify(body).slice(0, 200)}`;
      if (typeof result !== 'string') return result;
      last = result;
    } catch (err) {
      last = String(err);
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  throw new Error(`GET ${path} did not show it within ${RATE_TIMEOUT_MS / 1000} s: ${last}`);
}

type Route = RoutesResponse['rows'][number];
type Split = NonNullable<ServiceDetailResponse['split']>[number];

/** catalog's GET /books as its callers saw it, once its retries are counted and its policy is known. */
function retriedBooks(body: RoutesResponse): Route | string {
  if (body.configured && !body.configured.known) return `the API does not know the configured policy: ${body.configured.reason}`;
  const row = body.rows.find((r) => r.route === 'GET /books');
  if (!row) return `no GET /books row (rows: ${body.rows.map((r) => JSON.stringify(r.route)).join(', ')})`;
  if (!row.configured?.retry) return 'GET /books has no configured retry policy';
  if (row.retries?.rps == null || row.retries.rps <= 0) return `GET /books shows no retries (retries: ${JSON.stringify(row.retries)})`;
  return row;
}

/** reviews' split, once the callers' proxies have sent both backends requests and the weights are known. */
function reviewsSplit(body: ServiceDetailResponse): { v1: Split; v2: Split } | string {
  if (body.configured && !body.configured.known) return `the API does not know the configured weights: ${body.configured.reason}`;
  const split = body.split ?? [];
  const v2 = split.find((s) => s.backend.namespace === 'bookshop' && s.backend.name === 'reviews-v2');
  const v1 = split.find((s) => s.backend.namespace === 'bookshop' && s.backend.name === 'reviews' && s.route.name === v2?.route.name);
  if (!v1 || !v2) return `no route of reviews splits between reviews and reviews-v2 (split: ${JSON.stringify(split).slice(0, 300)})`;
  if (v2.measuredShare === null || v2.rps === null) return 'reviews-v2 has had no requests yet';
  return { v1, v2 };
}

describe('outbound reliability on the demo mesh (retries, timeouts, a 90/10 split)', () => {
  const { dashboardUrl, apiUrl } = demoStack();
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await newDesktopPage(browser);
  });

  afterAll(async () => {
    await browser?.close();
  });

  describe("catalog's retries", () => {
    let books: Route;
    beforeAll(async () => {
      books = await untilApi(apiUrl, '/api/v1/routes?namespace=bookshop&service=catalog&window=1m', retriedBooks);
    });

    it('make its effective success rate about 100 % while its attempts on the wire succeed less often (the API)', () => {
      expect(books.direction).toBe('outbound');
      expect(books.successRate).toBeGreaterThanOrEqual(0.99);
      expect(books.actualSuccessRate).toBeLessThan(books.successRate ?? 0);
      expect(books.actualRps).toBeGreaterThan(books.rps ?? Number.POSITIVE_INFINITY);
    });

    it('the routes page shows the configured retry policy beside effective and actual, and the retries sent', async () => {
      const routes = new RoutesPage(page);
      await routes.goto(dashboardUrl, { namespace: 'bookshop', service: 'catalog', refresh: '5s' });
      const row = routes.row('GET /books');
      await expect.poll(async () => Number((await row.getAttribute(RowAttrs.retries).catch(() => null)) || 0), { timeout: RATE_TIMEOUT_MS }).toBeGreaterThan(0);
      expect(await routes.configuredUnknown.count()).toBe(0);
      const limit = books.configured?.retry?.limit ?? 0;
      expect(await row.getAttribute(RowAttrs.retryLimit)).toBe(String(limit));
      expect(await routes.configuredRetry('GET /books').textContent()).toMatch(new RegExp(`^up to ${limit}× on `));
      const cells = await row.locator('td').allTextContents();
      // The Configured cell first, then Success rate and Actual success.
      const [effective, actual] = [percent(cells[1] ?? null), percent(cells[2] ?? null)];
      expect(effective).toBeGreaterThanOrEqual(0.99);
      expect(actual).toBeLessThan(effective ?? 0);
      // The rate of retries first (those that ran out, if any, under it).
      expect(await routes.retries('GET /books').textContent()).toMatch(/^\d+\.\d{2,3}/);
    });

    it("the service page shows its backend's endpoints and the configured circuit breaking", async () => {
      const service = new ServiceDetailPage(page);
      await service.goto(dashboardUrl, 'bookshop', 'catalog', { refresh: '5s' });
      const row = service.endpointRow('bookshop/catalog');
      await row.waitFor({ timeout: RATE_TIMEOUT_MS });
      await expect.poll(async () => (await row.getAttribute(RowAttrs.ready)) ?? '', { timeout: RATE_TIMEOUT_MS }).not.toBe('');
      // Two replicas: the callers' balancers hold at least one ready, and say how many are pending or tripped.
      expect(Number(await row.getAttribute(RowAttrs.ready))).toBeGreaterThanOrEqual(1);
      expect(await row.getAttribute(RowAttrs.pending)).toMatch(/^\d+$/);
      expect(await service.accrual.textContent()).not.toMatch(/not known/);
      // What the callers saw: about 100 %, the failing replica's attempts retried.
      expect(percent(await service.stat('successRate').textContent())).toBeGreaterThanOrEqual(0.99);
    });
  });

  describe('a route with a timeout', () => {
    let found: { service: string; row: Route };
    beforeAll(async () => {
      const services = await untilApi<StatsResponse, string[]>(apiUrl, '/api/v1/stats?kind=service&namespace=all&window=1m', (body) =>
        body.rows.length > 0 ? body.rows.map((r) => `${r.namespace}/${r.name}`) : 'no services',
      );
      for (const s of services) {
        const [namespace, name] = s.split('/');
        const body = (await (await fetch(`${apiUrl}/api/v1/routes?namespace=${namespace}&service=${name}&window=1m`)).json()) as RoutesResponse;
        const row = body.rows.find((r) => r.configured?.timeouts.requestMs != null);
        if (row) {
          found = { service: s, row };
          return;
        }
      }
      throw new Error(`no route of the demo's services (${services.join(', ')}) has a configured request timeout in the API's answers`);
    });

    it('shows the configured request timeout on its routes page, and the timed-out requests counted', async () => {
      const [namespace = '', name = ''] = found.service.split('/');
      const routes = new RoutesPage(page);
      await routes.goto(dashboardUrl, { namespace, service: name, refresh: '5s' });
      const row = routes.row(found.row.route);
      await row.waitFor({ timeout: RATE_TIMEOUT_MS });
      const ms = found.row.configured?.timeouts.requestMs ?? 0;
      expect(await row.getAttribute(RowAttrs.timeoutMs)).toBe(String(ms));
      const text = ms < 1000 ? `${ms} ms` : ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Number((ms / 1000).toFixed(3))} s`;
      expect(await routes.configuredTimeout(found.row.route).textContent()).toMatch(new RegExp(`^${text}`));
      // The proxies count every request's outcome: a number of timed-out requests, 0 when none timed out.
      await expect.poll(async () => (await row.getAttribute(RowAttrs.timeouts)) ?? '', { timeout: RATE_TIMEOUT_MS }).toMatch(/^\d/);
    });
  });

  describe("reviews' 90/10 split", () => {
    let split: { v1: Split; v2: Split };
    beforeAll(async () => {
      split = await untilApi(apiUrl, '/api/v1/services/bookshop/reviews?window=1m', reviewsSplit);
    });

    it('the API gives the configured weights beside measured shares close to them', () => {
      expect([split.v1.configuredWeight, split.v2.configuredWeight]).toEqual([90, 10]);
      expect(split.v1.configuredShare).toBeCloseTo(0.9, 9);
      expect(split.v2.configuredShare).toBeCloseTo(0.1, 9);
      expect(Math.abs((split.v2.measuredShare ?? 1) - 0.1)).toBeLessThan(SHARE_TOLERANCE);
      expect(Math.abs((split.v1.measuredShare ?? 0) - 0.9)).toBeLessThan(SHARE_TOLERANCE);
    });

    it("the service page shows each backend's configured weight beside its measured share, as bars", async () => {
      const service = new ServiceDetailPage(page);
      await service.goto(dashboardUrl, 'bookshop', 'reviews', { refresh: '5s' });
      const v2 = service.splitRow('bookshop/reviews-v2', split.v2.route.name);
      await v2.waitFor({ timeout: RATE_TIMEOUT_MS });
      expect(await service.configuredUnknown.count()).toBe(0);
      expect(await v2.getAttribute(RowAttrs.weight)).toBe('10');
      expect(Number(await v2.getAttribute(RowAttrs.configuredShare))).toBeCloseTo(0.1, 9);
      expect(Math.abs(Number(await v2.getAttribute(RowAttrs.measuredShare)) - 0.1)).toBeLessThan(SHARE_TOLERANCE);
      const v1 = service.splitRow('bookshop/reviews', split.v2.route.name);
      expect(await v1.getAttribute(RowAttrs.weight)).toBe('90');
      // Two bars a row: the configured weight and the measured share.
      expect(await v2.getByRole('img', { name: /^configured weight 10 \(10%\)$/ }).count()).toBe(1);
      expect(await v2.getByRole('img', { name: /^measured share \d+(\.\d+)?%$/ }).count()).toBe(1);
      expect(await service.endpointRow('bookshop/reviews-v2').count()).toBe(1);
    });

    it('the topology draws reviews → reviews-v2 dotted with its share and weight, and reviews’ own part on its workload edge', async () => {
      const topology = new TopologyPage(page);
      await topology.enableTestHook();
      await topology.goto(dashboardUrl, { namespace: 'bookshop', refresh: '5s' });
      await topology.waitForGraph();
      await expect.poll(async () => (await topology.edgeLook(SPLIT_EDGE))?.classes ?? [], { timeout: RATE_TIMEOUT_MS }).toContain('backend');
      const look = await topology.edgeLook(SPLIT_EDGE);
      expect(look?.lineStyle).toBe('dotted');
      expect(look?.label).toMatch(/^split \d+(\.\d+)?% · w 10$/);
      const share = Number(/split (\d+(?:\.\d+)?)%/.exec(look?.label ?? '')?.[1]) / 100;
      expect(Math.abs(share - 0.1)).toBeLessThan(SHARE_TOLERANCE);
      expect((await topology.edgeLook(SELF_EDGE))?.label).toMatch(/^split \d+(\.\d+)?% · w 90\n/);
      expect(await topology.legend.textContent()).toContain('traffic split');
      await topology.goto(dashboardUrl, { namespace: 'bookshop', selected: SPLIT_EDGE, refresh: '5s' });
      await topology.panelSplit.waitFor({ timeout: RATE_TIMEOUT_MS });
      expect(await topology.panelSplit.textContent()).toMatch(
        /Traffic split of bookshop\/reviews: \d+(\.\d+)?% of its routed requests went to bookshop\/reviews-v2 .*configured weight 10 \(10%\)/,
      );
    });
  });

  it('has no serious or critical accessibility findings on the pages that show it, in either theme', async () => {
    const routes = new RoutesPage(page);
    await routes.goto(dashboardUrl, { namespace: 'bookshop', service: 'catalog', refresh: 'off' });
    await routes.row('GET /books').waitFor({ timeout: RATE_TIMEOUT_MS });
    await page.waitForTimeout(500);
    const routesAudit = await auditAndCapture(page, 'routes-service-reliability');
    const service = new ServiceDetailPage(page);
    await service.goto(dashboardUrl, 'bookshop', 'reviews', { refresh: 'off' });
    await service.splitRows.first().waitFor({ timeout: RATE_TIMEOUT_MS });
    await service.neighbourGraph.waitFor({ timeout: 15_000 });
    await page.waitForTimeout(500);
    const serviceAudit = await auditAndCapture(page, 'service-split');
    expect([routesAudit.blocking, serviceAudit.blocking]).toEqual([
      { light: [], dark: [] },
      { light: [], dark: [] },
    ]);
  });
});
