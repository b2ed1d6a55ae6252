import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { type SpawnedMesh, spawnUp } from '@meshviz/cli/testing';
import { RolloutsResponse, StatsResponse } from '@meshviz/mesh-types';
import { RowAttrs, TestIds } from '@meshviz/web/testids';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newDesktopPage } from './browser.js';
import { auditAndCapture } from './support/capture.js';

/**
 * The rollouts page following a real progressive delivery: a mesh of its own (Service reviews in namespace shop,
 * reviews and reviews-v2 behind it, an HTTPRoute splitting 90/10), the built `meshviz rollout start` moving the
 * route's weights 50 → 100 while v2 stays healthy, and the dashboard of that mesh showing it running at its step,
 * then promoted, with every decision. Its own mesh, because a rollout rewrites the route file in the mesh's config
 * directory, and the demo's is the repository's.
 */
const MESH = `
namespaces:
  - name: shop
    workloads:
      - name: reviews
        routes:
          - { method: GET, path: /reviews, latencyMs: 1 }
      - name: reviews-v2
        routes:
          - { method: GET, path: /reviews, latencyMs: 1 }
load:
  rate: 40
  targets:
    - { service: reviews.shop, method: GET, path: /reviews }
`;

const ROUTE = `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: reviews-shop, namespace: shop }
spec:
  parentRefs:
    - { group: "", kind: Service, name: reviews }
  rules:
    - backendRefs:
        - { name: reviews, port: 8080, weight: 90 }
        - { name: reviews-v2, port: 8080, weight: 10 }
`;

const CLI = path.join(path.dirname(createRequire(import.meta.url).resolve('@meshviz/cli/testing')), '..', 'main.js');

describe('rollouts page following a real rollout', () => {
  let dir: string;
  let mesh: SpawnedMesh;
  let browser: Browser;
  let page: Page;
  let rollout: ChildProcess | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'meshviz-rollouts-page-'));
    await mkdir(path.join(dir, 'policy'));
    await writeFile(path.join(dir, 'mesh.yaml'), MESH);
    await writeFile(path.join(dir, 'policy', 'reviews.yaml'), ROUTE);
    mesh = await spawnUp(['-f', path.join(dir, 'mesh.yaml'), '--identity-dir', path.join(dir, 'identity'), '--scrape-interval', '1s']);
    browser = await launchBrowser();
    page = await newDesktopPage(browser);
  }, 150_000);

  afterAll(async () => {
    rollout?.kill('SIGINT');
    await browser?.close();
    await mesh?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('says no rollout is recorded before one starts', async () => {
    await page.goto(`${mesh.dashboardUrl}/rollouts`);
    await expect(page.getByTestId(TestIds.rolloutsEmpty).textContent({ timeout: 30_000 })).resolves.toMatch(/No rollout has been recorded/);
  });

  it('shows the rollout at its step while it runs, then promoted with every decision', async () => {
    // v2 has traffic of its own (its 10 %) before anything is judged.
    await until(async () => {
      const stats = StatsResponse.parse(await (await fetch(`${mesh.apiUrl}/api/v1/stats?kind=deployment&namespace=shop&window=30s`)).json());
      return (stats.rows.find((r) => r.name === 'reviews-v2')?.rps ?? 0) > 0;
    }, "reviews-v2's share of the traffic");

    let output = '';
    rollout = spawn(
      process.execPath,
      [
        CLI,
        'rollout',
        'start',
        'svc/reviews',
        '-n',
        'shop',
        '--route',
        'reviews-shop',
        '--stable',
        'reviews',
        '--canary',
        'reviews-v2',
        '-f',
        path.join(dir, 'mesh.yaml'),
        '--api',
        mesh.apiUrl,
        '--steps',
        '50,100',
        '--interval',
        '8s',
        '--window',
        '30s',
        '--min-success',
        '0.95',
        '--max-p99',
        '500ms',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    rollout.stdout?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    rollout.stderr?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    const exited = new Promise<number | null>((resolve) => rollout?.once('exit', resolve));

    // The page refreshes on its own: no reload. While it runs, the card says so and marks its current step.
    const selector = `[data-testid="${TestIds.rollout}"][${RowAttrs.route}="shop/reviews-shop"]`;
    const card = page.locator(selector);
    await page.locator(`${selector}[${RowAttrs.phase}="running"]`).waitFor({ timeout: 30_000 });
    await card.locator('[data-step-state="current"]').waitFor({ timeout: 30_000 });
    expect(await card.locator('[data-step-state="current"]').textContent()).toBe('50 %');
    expect(await card.getByTestId(TestIds.rolloutWeights).textContent()).toMatch(/reviews-v2 50 % · reviews 50 %/);
    await auditAndCapture(page, 'rollouts-running');

    expect(await exited).toBe(0);
    await page.locator(`${selector}[${RowAttrs.phase}="promoted"]`).waitFor({ timeout: 30_000 });
    const verdicts = await card.getByTestId(TestIds.rolloutEvent).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-verdict')));
    expect(verdicts, output).toEqual(['promoted', 'advance', 'start']);
    expect(await card.getByTestId(TestIds.rolloutWeights).textContent()).toMatch(/reviews-v2 100 % · reviews 0 %/);

    // The page shows what the API serves.
    const served = RolloutsResponse.parse(await (await fetch(`${mesh.apiUrl}/api/v1/rollouts`)).json());
    expect(served.rollouts.map((r) => [r.route.name, r.phase])).toEqual([['reviews-shop', 'promoted']]);

    const { blocking } = await auditAndCapture(page, 'rollouts');
    expect(blocking.light).toEqual([]);
    expect(blocking.dark).toEqual([]);
  }, 150_000);
});

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
