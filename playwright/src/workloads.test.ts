import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP_VIEWPORT, launchBrowser } from './browser.js';
import { WorkloadsPage } from './pages/workloads-page.js';
import { startStack } from './stack.js';

const SCREENSHOTS = new URL('../screenshots/', import.meta.url);
/** The first Prometheus scrapes take a while; rates need two samples. */
const FIRST_DATA_TIMEOUT_MS = 90_000;

const DEMO_WORKLOADS = [
  ['bookshop', 'web'],
  ['bookshop', 'catalog'],
  ['bookshop', 'reviews'],
  ['billing', 'payments'],
  ['billing', 'ledger'],
] as const;

describe('workloads page on the demo mesh', () => {
  let stack: Awaited<ReturnType<typeof startStack>>;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  }, 60_000);

  it('lists every demo workload with traffic', async () => {
    const page = await browser.newPage({ viewport: DESKTOP_VIEWPORT });
    const workloads = new WorkloadsPage(page);
    await workloads.goto(stack.dashboardUrl);

    for (const [namespace, workload] of DEMO_WORKLOADS) {
      await workloads.waitForTraffic(namespace, workload, FIRST_DATA_TIMEOUT_MS);
      expect(await workloads.rps(namespace, workload)).toBeGreaterThan(0);
      expect(await workloads.rpsCell(namespace, workload).textContent()).not.toContain('no traffic');
    }
    expect(await workloads.banner.count()).toBe(0);

    await mkdir(SCREENSHOTS, { recursive: true });
    await workloads.screenshot(fileURLToPath(new URL('workloads.png', SCREENSHOTS)));
    await page.close();
  }, 180_000);
});
