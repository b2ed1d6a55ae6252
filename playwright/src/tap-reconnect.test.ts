import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newDesktopPage } from './browser.js';
import { TapPage } from './pages/tap-page.js';
import { auditAndCapture } from './support/capture.js';
import { MINI, type MiniMesh, startMiniMesh } from './support/mini-mesh.js';

/**
 * The API process killed and started again on the same port while the Tap page streams requests through the
 * dashboard's forwarder: the page says the stream broke and that it is reconnecting (attempt, wait), keeps its rows,
 * reconnects by itself once the API answers, says so and what may be missing, and rows arrive again. SIGKILL (the
 * API vanishes mid-stream), then SIGTERM (it shuts down in order).
 */
describe('the API restarted under a running tap', () => {
  let mesh: MiniMesh;
  let browser: Browser;
  let page: Page;
  let tap: TapPage;

  beforeAll(async () => {
    [mesh, browser] = await Promise.all([startMiniMesh({ scrapeSeconds: 5, prometheusTimeoutMs: 2_000, rps: 20 }), launchBrowser()]);
    page = await newDesktopPage(browser);
    tap = new TapPage(page);
  });

  afterAll(async () => {
    await page?.context().close();
    await browser?.close();
    await mesh?.stop();
  });

  /** Waits until the page has seen more than `than` requests. */
  const seenMoreThan = (than: number, timeout: number) =>
    expect.poll(() => tap.count('seen'), { timeout, interval: 200 }).toBeGreaterThan(than);

  async function restartUnderTap(signal: NodeJS.Signals, capture: string | null): Promise<void> {
    const seenBefore = await tap.count('seen');
    const killed = Date.now();
    await mesh.api.kill(signal);
    await tap.waitForStatus('reconnecting', 10_000);
    const noticed = Date.now() - killed;
    const notice = tap.reconnect.and(page.locator('[data-state="reconnecting"]'));
    await notice.waitFor({ timeout: 5_000 });
    expect(await notice.textContent()).toMatch(/The stream broke off at .+: reconnecting… attempt 1/);
    expect(await tap.status.textContent()).toContain('Reconnecting to');
    // The rows already captured stay, and the notice says so.
    expect(await tap.count('seen')).toBeGreaterThanOrEqual(seenBefore);
    expect(await tap.rows.count()).toBeGreaterThan(0);
    expect(await notice.textContent()).toMatch(/requests captured stay below/);
    // With the API away the first attempt fails and the next one waits longer.
    await notice.filter({ hasText: /attempt [2-9]/ }).waitFor({ timeout: 10_000 });
    expect(await notice.textContent()).toMatch(/waits [2-9] s, doubling up to 10 s|attempt \d under way/);
    if (capture) {
      const { blocking } = await auditAndCapture(page, capture);
      expect(blocking.light).toEqual([]);
      expect(blocking.dark).toEqual([]);
    }

    await mesh.api.start();
    const back = Date.now();
    // The longest wait between attempts is 10 s.
    await tap.waitForStatus('live', 12_000);
    const reconnectedMs = Date.now() - back;
    const done = tap.reconnect.and(page.locator('[data-state="reconnected"]'));
    await done.waitFor({ timeout: 2_000 });
    expect(await done.textContent()).toMatch(/Reconnected at .+ after [2-9]\d* attempts\. Requests between .+ and .+ were not captured and may be missing\./);
    expect(await tap.status.textContent()).toMatch(/Listening to .+ Reconnected at /);
    const seenAtReconnect = await tap.count('seen');
    expect(seenAtReconnect).toBeGreaterThanOrEqual(seenBefore);
    await seenMoreThan(seenAtReconnect, 10_000);
    process.stdout.write(`API ${signal}: reconnecting shown ${noticed} ms after the kill; live again ${reconnectedMs} ms after the API was back\n`);
  }

  it('reconnects by itself after SIGKILL and SIGTERM of the API, keeping its rows and saying what happened', async () => {
    await tap.goto(mesh.web.url, { namespace: MINI.namespace }, mesh.api.tapToken);
    await tap.start.click();
    await tap.waitForStatus('live', 15_000);
    await seenMoreThan(5, 15_000);

    await restartUnderTap('SIGKILL', 'tap-reconnecting');
    await auditAndCapture(page, 'tap-reconnected');
    await restartUnderTap('SIGTERM', null);

    // Stop still ends it for good.
    await tap.stop.click();
    await tap.waitForStatus('stopped', 5_000);
    expect(mesh.load.ok).toBeGreaterThan(0);
  });
});
