import os from 'node:os';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESKTOP_VIEWPORT, launchBrowser, newDesktopPage } from './browser.js';
import { TopologyPage } from './pages/topology-page.js';
import { demoStack } from './support/context.js';
import { writeFpsResult } from './support/fps-results.js';
import { measurePanFps } from './support/measure-fps.js';
import { syntheticTopology } from './support/synthetic-topology.js';

const NODES = 500;
const EDGES = 2_000;
const NAMESPACES = 10;
/**
 * The target the dashboard promises, and what the spec asserts. Headless Chromium here renders without a GPU, on 2
 * cores beside the demo stack, and still pans at about 50 fps, so the target holds with room to spare.
 */
const TARGET_FPS = 30;

/**
 * The real topology graph with a synthetic 500-node / 2000-edge topology fed through its test hook (the same path
 * as API answers), panned with the mouse for 3 s while requestAnimationFrame counts frames: it must pan at
 * TARGET_FPS or more. Writes playwright/results/topology-fps.json whether it does or not.
 */
describe('topology graph frame rate', () => {
  const { dashboardUrl } = demoStack();
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it(`pans a ${NODES}-node, ${EDGES}-edge graph and records the frame rate`, async () => {
    const page = await newDesktopPage(browser);
    const topology = new TopologyPage(page);
    await topology.enableTestHook();
    // Refresh off, so no API answer replaces the synthetic graph during the measurement.
    await topology.goto(dashboardUrl, { refresh: 'off' });
    await topology.waitForGraph();

    const graph = syntheticTopology(NODES, EDGES, NAMESPACES);
    const loadStarted = Date.now();
    await topology.load(graph);
    const layoutMs = Date.now() - loadStarted;
    const counts = await topology.counts();
    expect(counts).toMatchObject({ nodes: NODES + NAMESPACES, edges: EDGES });
    await page.waitForTimeout(500);

    const before = await topology.viewport();
    const measurement = await measurePanFps(page, topology.graph, 3_000);
    const after = await topology.viewport();
    const panned = { dx: Math.round(after.x - before.x), dy: Math.round(after.y - before.y) };
    expect(panned.dx !== 0 || panned.dy !== 0).toBe(true);

    const result = {
      what: 'frames per second while panning the topology graph with the mouse',
      graph: { nodes: NODES, namespaces: NAMESPACES, edges: EDGES, securedEdges: graph.edges.filter((e) => e.secured).length },
      layoutAndFirstDrawMs: layoutMs,
      ...measurement,
      panned,
      zoom: Math.round(after.zoom * 1000) / 1000,
      targetFps: TARGET_FPS,
      meetsTarget: measurement.fps >= TARGET_FPS,
      environment: {
        browser: `Chromium ${browser.version()} headless, --disable-gpu (software rendering)`,
        viewport: `${DESKTOP_VIEWPORT.width}×${DESKTOP_VIEWPORT.height}`,
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
      },
      measuredAt: new Date().toISOString(),
    };
    await writeFpsResult('topology-fps', result);
    console.log(
      `topology pan: ${result.fps} fps (target ${TARGET_FPS}) over ${result.durationMs} ms, frame p50 ${result.frameMs.p50} ms / p95 ${result.frameMs.p95} ms; layout ${layoutMs} ms; ${NODES} nodes, ${EDGES} edges`,
    );
    expect(measurement.fps).toBeGreaterThanOrEqual(TARGET_FPS);
    await page.context().close();
  }, 180_000);
});
