import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newDesktopPage } from './browser.js';
import { TopologyPage } from './pages/topology-page.js';
import { auditAndCapture } from './support/capture.js';
import { demoStack } from './support/context.js';

interface ApiTopology {
  nodes: { id: string; kind: string; rps: number | null }[];
  edges: { id: string; rps: number | null; secured?: boolean; deniedRps?: number }[];
}

describe('topology page on the demo mesh', () => {
  const { dashboardUrl, apiUrl } = demoStack();
  let browser: Browser;
  let page: Page;
  let topology: TopologyPage;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await newDesktopPage(browser);
    topology = new TopologyPage(page);
    await topology.enableTestHook();
    await topology.goto(dashboardUrl, { refresh: '5s' });
    await topology.waitForGraph();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('draws the demo mesh with a legend of the API’s thresholds', async () => {
    const counts = await topology.counts();
    // 5 workloads + loadgen, their services and 3 namespaces at least.
    expect(counts.nodes).toBeGreaterThanOrEqual(14);
    expect(counts.edges).toBeGreaterThanOrEqual(8);
    expect(await topology.legend.textContent()).toMatch(/healthy ≥ 99%.*degraded ≥ 95%.*failing < 95%/);
  });

  it('does not lay out again on refresh: pan and zoom stay', async () => {
    await page.evaluate(() => window.__meshvizTopology!.panBy(40, 25));
    const before = { view: await topology.viewport(), layouts: await topology.layouts(), ids: new Set(await topology.nodeIds()) };
    const response = await page.waitForResponse((r) => r.url().includes('/api/v1/topology'), { timeout: 15_000 });
    const refreshed = (await response.json()) as ApiTopology;
    await page.waitForTimeout(300);
    // Only a node that was not there before may cause a layout (the demo's answers do sometimes add one).
    const added = refreshed.nodes.some((n) => !before.ids.has(n.id));
    expect(await topology.layouts()).toBe(before.layouts + (added ? 1 : 0));
    // Either way the user's pan and zoom stay.
    expect(await topology.viewport()).toEqual(before.view);
  });

  it('finds by name, selects from the matches and opens the side panel', async () => {
    await topology.find.fill('reviews');
    await topology.matches.first().waitFor();
    expect(await topology.matches.allTextContents()).toContain('bookshop/reviews (deployment)');
    await topology.matches.filter({ hasText: 'deployment' }).first().click();
    await page.waitForURL(/selected=deployment%2Fbookshop%2Freviews/);
    await topology.panel.waitFor();
    expect(await topology.panel.textContent()).toMatch(/reviews.*Success rate/);
    expect(await topology.panelLink.textContent()).toContain('bookshop/reviews');
  });

  it('keeps a selection made before the find text reached the URL, on a busy machine', async () => {
    // A slow CPU keeps a router update in flight past the find field's pause, as a loaded machine does.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 20 });
    try {
      await topology.find.fill('catalog');
      await topology.matches.filter({ hasText: 'deployment' }).first().click();
      // Past the find field's pause: both changes are in the URL, neither undid the other.
      await page.waitForTimeout(3_000);
      const params = new URL(page.url()).searchParams;
      expect(params.get('find')).toBe('catalog');
      expect(params.get('selected')).toBe('deployment/bookshop/catalog');
    } finally {
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
      await cdp.detach();
    }
    // The slowed page may still be rendering the change: the panel follows the URL.
    await expect.poll(() => topology.panel.textContent(), { timeout: 15_000 }).toMatch(/catalog.*Success rate/);
    await topology.find.fill('');
  });

  it('hides by name', async () => {
    const before = (await topology.counts()).visibleNodes;
    await topology.hide.fill('loadgen');
    await page.waitForURL(/hide=loadgen/);
    await page.waitForFunction((n) => window.__meshvizTopology!.counts().visibleNodes === n - 1, before, { timeout: 5_000 });
    await topology.hide.fill('');
    await page.waitForFunction((n) => window.__meshvizTopology!.counts().visibleNodes === n, before, { timeout: 5_000 });
  });

  it('has no serious or critical accessibility findings, in either theme', async () => {
    // A short range, so the young stack's series fill the panel's sparklines.
    await topology.goto(dashboardUrl, { selected: 'deployment/bookshop/web', refresh: 'off', range: '15m' });
    await topology.waitForGraph();
    await topology.panel.waitFor();
    await page.waitForTimeout(500);
    const { blocking } = await auditAndCapture(page, 'topology');
    expect(blocking.light).toEqual([]);
    expect(blocking.dark).toEqual([]);
  });

  it('updates in place when the same nodes come back with new numbers, and lays out when a node is new', async () => {
    const graph = (await (await fetch(`${apiUrl}/api/v1/topology?namespace=all&window=1m`)).json()) as ApiTopology;
    await topology.load(graph);
    const layouts = await topology.layouts();
    const view = await topology.viewport();
    await topology.load({
      nodes: graph.nodes.map((n) => ({ ...n, rps: (n.rps ?? 0) + 1 })),
      edges: graph.edges.map((e) => ({ ...e, rps: 99 })),
    });
    expect(await topology.layouts()).toBe(layouts);
    expect(await topology.viewport()).toEqual(view);
    const extra = { ...graph.nodes.find((n) => n.kind === 'deployment')!, id: 'deployment/bookshop/new', name: 'new' };
    await topology.load({ nodes: [...graph.nodes, extra], edges: graph.edges });
    expect(await topology.layouts()).toBe(layouts + 1);
  });

  it('draws a lock on each secured edge, and none on the others', async () => {
    const graph = (await (await fetch(`${apiUrl}/api/v1/topology?namespace=all&window=1m`)).json()) as ApiTopology;
    // The demo runs with mTLS: every edge between its meshed workloads is secured.
    const securedNow = graph.edges.filter((e) => (e as { secured?: boolean }).secured).length;
    expect(securedNow).toBeGreaterThanOrEqual(8);
    // Unsecure every other edge, as a mesh half without identity would be.
    const edges = graph.edges.map((e, i) => ({ ...e, secured: i % 2 === 0, mtlsShare: i % 2 === 0 ? 1 : 0 }));
    await topology.load({ nodes: graph.nodes, edges });
    const secured = edges.filter((e) => e.secured).length;
    expect(await topology.edgeMark('lock').count()).toBe(secured);
  });

  it('draws an edge whose requests policy refused red and dashed, with the denied rate and a no-entry sign, keeping its lock', async () => {
    const graph = (await (await fetch(`${apiUrl}/api/v1/topology?namespace=all&window=1m`)).json()) as ApiTopology;
    const refused = (e: ApiTopology['edges'][number]) => (e.deniedRps ?? 0) > 0;
    const [target, other] = graph.edges.filter((e) => e.secured && !refused(e));
    expect(target && other).toBeTruthy();
    const edges = graph.edges.map((e) => (e.id === target!.id ? { ...e, deniedRps: 1.5 } : e));
    await topology.load({ nodes: graph.nodes, edges });
    const look = await topology.edgeLook(target!.id);
    expect(look?.classes).toContain('denied');
    expect(look?.lineStyle).toBe('dashed');
    expect(look?.label).toMatch(/^denied 1\.50 rps\n/);
    expect(await topology.edgeMark('denied', target!.id).count()).toBe(1);
    // Still secured: the padlock stays.
    expect(await topology.edgeMark('lock', target!.id).count()).toBe(1);
    // Nothing refused on the other edge: drawn as before.
    const plain = await topology.edgeLook(other!.id);
    expect(plain?.classes).not.toContain('denied');
    expect(plain?.lineStyle).toBe('solid');
    expect(await topology.edgeMark('denied').count()).toBe(edges.filter(refused).length);
    expect(await topology.legend.textContent()).toContain('refused by policy');
  });

  it('names the client and server identities of a selected secured edge, and a workload its own', async () => {
    await topology.goto(dashboardUrl, { selected: 'deployment/traffic/loadgen->service/bookshop/web' });
    await topology.panelIdentities.waitFor();
    expect(await topology.panelIdentities.textContent()).toMatch(/^loadgen\.traffic.*→.*web\.bookshop/);
    expect(await topology.panelIdentities.getAttribute('title')).toBeNull();
    expect(await topology.panelIdentities.locator('[title]').first().getAttribute('title')).toBe(
      'loadgen.traffic.serviceaccount.identity.meshviz.cluster.local',
    );
    await topology.goto(dashboardUrl, { selected: 'deployment/billing/ledger' });
    await topology.panelIdentities.waitFor();
    expect(await topology.panelIdentities.textContent()).toMatch(/identity ledger\.billing/);
  });

  it('opens the selected workload’s detail page from the panel', async () => {
    await topology.goto(dashboardUrl, { selected: 'deployment/bookshop/web' });
    await topology.panelLink.click();
    await page.waitForURL(/\/namespaces\/bookshop\/workloads\/web/);
  });
});
