import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newDesktopPage } from './browser.js';
import { TapPage } from './pages/tap-page.js';
import { TopologyPage } from './pages/topology-page.js';
import { WorkloadDetailPage } from './pages/workload-detail-page.js';
import { auditAndCapture } from './support/capture.js';
import { demoStack } from './support/context.js';

/**
 * Authorization policy on the demo mesh: billing is locked down, and outside/scraper's POST /charge calls to
 * payments.billing are all refused. The dashboard must show that refusal on the topology edge, on payments' page
 * and in a tap of payments.
 */
const SCRAPER_ID = 'scraper.outside.serviceaccount.identity.meshviz.cluster.local';
const SCRAPER = 'deployment/outside/scraper';
const DENIED_EDGE = `${SCRAPER}->service/billing/payments`;
/** Refusals become rates after two scrapes of the payments proxies; the pages then poll every 5 s. */
const RATE_TIMEOUT_MS = 60_000;

interface ApiEdge {
  id: string;
  secured: boolean;
  clientId?: string;
  deniedRps?: number;
}

/** Waits for a part of a section; on timeout the error says what the section showed instead (an empty window, an error). */
async function waitWithin(target: Locator, section: Locator): Promise<void> {
  try {
    await target.waitFor({ timeout: RATE_TIMEOUT_MS });
  } catch (err) {
    const shown = ((await section.textContent().catch(() => null)) ?? 'nothing').replace(/\s+/g, ' ').slice(0, 400);
    throw new Error(`${(err as Error).message.split('\n')[0]}; the section showed: ${shown}`);
  }
}

/** Polls the API's topology until the scraper → payments edge shows refused requests, or fails saying what is missing. */
async function refusedEdge(apiUrl: string): Promise<ApiEdge> {
  const deadline = Date.now() + RATE_TIMEOUT_MS;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const body = (await (await fetch(`${apiUrl}/api/v1/topology?namespace=all&window=1m`)).json()) as { edges?: ApiEdge[] };
      const edge = body.edges?.find((e) => e.id === DENIED_EDGE);
      if (edge && (edge.deniedRps ?? 0) > 0) return edge;
      last = edge ? `the edge has deniedRps ${String(edge.deniedRps)}` : 'the edge is not in the graph';
    } catch (err) {
      last = String(err);
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  throw new Error(
    `the API's topology showed no refused requests on ${DENIED_EDGE} within ${RATE_TIMEOUT_MS / 1000} s (${last}): does the demo run outside/scraper, and do the proxies count denials?`,
  );
}

describe('authorization policy on the demo mesh (outside/scraper refused by billing/payments)', () => {
  const { dashboardUrl, apiUrl, tapToken } = demoStack();
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  describe('topology', () => {
    let page: Page;
    let topology: TopologyPage;
    let edge: ApiEdge;

    beforeAll(async () => {
      page = await newDesktopPage(browser);
      topology = new TopologyPage(page);
      await topology.enableTestHook();
      // The API's own answer first: the edge is there with refused requests.
      edge = await refusedEdge(apiUrl);
    });

    afterAll(async () => {
      await page?.context().close();
    });

    it('draws scraper → payments as refused: red dashed, "denied N rps" first on its label, a no-entry sign', async () => {
      await topology.goto(dashboardUrl, { refresh: '5s' });
      await topology.waitForGraph();
      await expect.poll(async () => (await topology.edgeLook(DENIED_EDGE))?.classes ?? [], { timeout: RATE_TIMEOUT_MS }).toContain('denied');
      const look = await topology.edgeLook(DENIED_EDGE);
      expect(look?.lineStyle).toBe('dashed');
      expect(look?.label).toMatch(/^denied [\d.<]+ rps\n/);
      expect(await topology.edgeMark('denied', DENIED_EDGE).count()).toBe(1);
      // The padlock keeps its meaning: there exactly when the edge's traffic was all mTLS.
      expect(await topology.edgeMark('lock', DENIED_EDGE).count()).toBe(edge.secured ? 1 : 0);
      expect(await topology.legend.textContent()).toContain('refused by policy');
    });

    it('says in the edge’s panel what was refused, and from which client identity', async () => {
      await topology.goto(dashboardUrl, { selected: DENIED_EDGE, refresh: '5s' });
      await topology.panelDenied.waitFor({ timeout: RATE_TIMEOUT_MS });
      expect(await topology.panelDenied.textContent()).toMatch(/Refused by policy: [\d.<]+ rps from scraper\.outside/);
      expect(await topology.panelDenied.locator(`[title="${SCRAPER_ID}"]`).count()).toBe(1);
    });

    it('has no serious or critical accessibility findings with the refused edge selected, in either theme', async () => {
      await topology.goto(dashboardUrl, { selected: DENIED_EDGE, refresh: 'off' });
      await topology.panelDenied.waitFor({ timeout: RATE_TIMEOUT_MS });
      await page.waitForTimeout(500);
      const { blocking } = await auditAndCapture(page, 'topology-denied');
      expect(blocking.light).toEqual([]);
      expect(blocking.dark).toEqual([]);
    });
  });

  describe('payments’ workload page', () => {
    let page: Page;
    let detail: WorkloadDetailPage;

    beforeAll(async () => {
      page = await newDesktopPage(browser);
      detail = new WorkloadDetailPage(page);
      await detail.goto(dashboardUrl, 'billing', 'payments', { refresh: '5s' });
      await detail.authz.waitFor({ timeout: 30_000 });
    });

    afterAll(async () => {
      await page?.context().close();
    });

    it('lists the scraper’s refused requests by its identity under "Denied by client identity"', async () => {
      const scraper = detail.denialRows(SCRAPER_ID);
      await waitWithin(scraper.first(), detail.authz);
      const rows = await scraper.evaluateAll((els) =>
        els.map((el) => ({ rps: Number(el.getAttribute('data-denied-rps')), text: el.textContent ?? '' })),
      );
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row.rps).toBeGreaterThan(0);
        expect(row.text).toContain('scraper.outside');
      }
      // Shown short, the whole identity on hover.
      expect(await scraper.first().locator(`[title="${SCRAPER_ID}"]`).count()).toBe(1);
      expect(await detail.authzError.count()).toBe(0);
      expect(await detail.authzEmpty.count()).toBe(0);
    });

    it('shows the refused traffic in the authorization table: no authorization, Unauthorized above 0 and marked', async () => {
      await waitWithin(detail.authzRefusedRows.first(), detail.authz);
      const refused = await detail.authzRefusedRows.evaluateAll((els) =>
        els.map((el) => ({
          denied: Number(el.getAttribute('data-denied-rps')),
          authorization: el.querySelector('td:nth-of-type(2)')?.textContent ?? '',
          unauthorized: el.querySelector('[data-testid="authz-unauthorized"]')?.textContent ?? '',
          marked: el.querySelector('[data-testid="authz-unauthorized"] svg') !== null,
        })),
      );
      const busiest = refused.sort((a, b) => b.denied - a.denied)[0]!;
      expect(busiest.denied).toBeGreaterThan(0);
      expect(busiest.authorization.trim()).toBe('—');
      expect(busiest.unauthorized).toMatch(/^refused: [\d.<]+$/);
      expect(busiest.marked).toBe(true);
    });

    it('has no serious or critical accessibility findings with the section filled, in either theme', async () => {
      await waitWithin(detail.denialRows(SCRAPER_ID).first(), detail.authz);
      const { blocking } = await auditAndCapture(page, 'workload-authz');
      expect(blocking.light).toEqual([]);
      expect(blocking.dark).toEqual([]);
    });
  });

  describe('a tap of payments', () => {
    let page: Page;
    let tap: TapPage;

    beforeAll(async () => {
      page = await newDesktopPage(browser);
      tap = new TapPage(page);
      await tap.goto(dashboardUrl, { namespace: 'billing', workload: 'payments' }, tapToken);
      await tap.filters.waitFor();
      await tap.start.click();
      await tap.waitForStatus('live');
    });

    afterAll(async () => {
      await page?.context().close();
    });

    it('shows the scraper’s request as denied, with the badge beside its 403', async () => {
      // A row is marked denied from the request's first part; its 403 arrives with the next: on a busy machine the
      // first row found may still be in flight, so wait for one that was answered.
      const denied = tap.answeredDeniedRows.first();
      await denied.waitFor({ timeout: 30_000 });
      // One read in the page: the live table moves rows and keeps few in the DOM (see tap.test.ts).
      const seen = await denied.evaluate((row) => ({
        text: row.textContent ?? '',
        badge: row.querySelector('[data-testid="tap-denied"]')?.textContent ?? '',
        outcome: row.getAttribute('data-outcome'),
      }));
      expect(seen.badge).toContain('denied');
      expect(seen.text).toMatch(/scraper/);
      expect(seen.text).toMatch(/POST/);
      expect(seen.text).toMatch(/\/charge/);
      expect(seen.text).toMatch(/403/);
      // A refusal is the proxy's 403: a success to the metrics, not a failure.
      expect(seen.outcome).not.toBe('failure');
    });

    it('opens the denied request with the reason, the server, the route and no authorization', async () => {
      await tap.pause.click();
      const id = await tap.deniedRows.first().getAttribute('data-request-id');
      expect(id).toBeTruthy();
      await tap.row(id!).click();
      await tap.panelAuthz.waitFor();
      expect(await tap.panelAuthz.getAttribute('data-denied')).toBe('true');
      expect(((await tap.panelAuthzReason.textContent()) ?? '').trim()).not.toBe('');
      const text = (await tap.panelAuthz.textContent()) ?? '';
      expect(text).toContain('Refused by policy');
      expect(text).toMatch(/Server\s*\S+/);
      expect(text).toMatch(/Route\s*\S+/);
      expect(text).toContain('none allowed it');
      // The hop itself was mutual TLS from the scraper's identity.
      expect(await tap.panelTls.textContent()).toMatch(/scraper\.outside.*→.*payments\.billing/);
      await tap.panelClose.click();
      await tap.pause.click();
      await tap.stop.click();
      await tap.waitForStatus('stopped');
    });
  });
});
