import { TestIds } from '@meshviz/web/testids';
import type { Locator } from 'playwright-core';
import { DashboardPage } from './dashboard-page.js';

/** The shape of a topology the test hook accepts (the API's nodes and edges). */
export interface GraphInput {
  nodes: unknown[];
  edges: unknown[];
}

/** `/topology`: the graph, its filters, legend and details panel; the graph is driven through its test hook. */
export class TopologyPage extends DashboardPage {
  /** Must run before the page loads: it turns on the graph's test hook (window.__meshvizTopology). */
  async enableTestHook(): Promise<void> {
    await this.page.addInitScript(() => {
      (window as { __MESHVIZ_TEST__?: boolean }).__MESHVIZ_TEST__ = true;
    });
  }

  goto(dashboardUrl: string, params: Record<string, string> = {}): Promise<void> {
    return this.open(dashboardUrl, '/topology', params);
  }

  get graph(): Locator {
    return this.page.getByTestId(TestIds.topologyGraph);
  }

  get legend(): Locator {
    return this.page.getByTestId(TestIds.topologyLegend);
  }

  get find(): Locator {
    return this.page.getByTestId(TestIds.topologyFind);
  }

  get hide(): Locator {
    return this.page.getByTestId(TestIds.topologyHide);
  }

  get matches(): Locator {
    return this.page.getByTestId(TestIds.topologyMatch);
  }

  get panel(): Locator {
    return this.page.getByTestId(TestIds.topologyPanel);
  }

  /** The mTLS identities the panel names: a secured edge's two ends, or a workload's own. */
  get panelIdentities(): Locator {
    return this.page.getByTestId(TestIds.topologyPanelIdentities);
  }

  get panelLink(): Locator {
    return this.page.getByTestId(TestIds.topologyPanelLink);
  }

  /** Waits until the graph is drawn with at least one laid-out node. */
  async waitForGraph(timeoutMs = 30_000): Promise<void> {
    await this.page.waitForFunction(() => (window.__meshvizTopology?.counts().nodes ?? 0) > 0, undefined, { timeout: timeoutMs });
  }

  counts(): Promise<{ nodes: number; edges: number; visibleNodes: number }> {
    return this.page.evaluate(() => window.__meshvizTopology!.counts());
  }

  layouts(): Promise<number> {
    return this.page.evaluate(() => window.__meshvizTopology!.layouts());
  }

  viewport(): Promise<{ x: number; y: number; zoom: number }> {
    return this.page.evaluate(() => window.__meshvizTopology!.viewport());
  }

  nodeIds(): Promise<string[]> {
    return this.page.evaluate(() => window.__meshvizTopology!.nodeIds());
  }

  /** Feeds a topology through the same path as an API answer. */
  load(graph: GraphInput): Promise<void> {
    return this.page.evaluate((g) => window.__meshvizTopology!.load(g as never), graph);
  }
}

declare global {
  interface Window {
    __meshvizTopology?: {
      load(graph: unknown): void;
      layouts(): number;
      counts(): { nodes: number; edges: number; visibleNodes: number };
      viewport(): { x: number; y: number; zoom: number };
      nodeIds(): string[];
      panBy(dx: number, dy: number): void;
    };
  }
}
