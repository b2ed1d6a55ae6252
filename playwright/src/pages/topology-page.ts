import { TestIds } from '@meshviz/web/testids';
import type { Locator } from 'playwright-core';
import { DashboardPage } from './dashboard-page.js';

/** How the graph draws an edge, as its test hook reads it. */
export interface EdgeLook {
  classes: string[];
  lineStyle: string;
  label: string;
}

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

  /** The panel's "Refused by policy: N rps from <client identity>" of a selected edge. */
  get panelDenied(): Locator {
    return this.page.getByTestId(TestIds.topologyPanelDenied);
  }

  /** The panel's account of a split service's edge to a backend: measured share and configured weight. */
  get panelSplit(): Locator {
    return this.page.getByTestId(TestIds.topologyPanelSplit);
  }

  /** The marks drawn over an edge: its padlock (secured) or its no-entry sign (refused by policy). */
  edgeMark(kind: 'lock' | 'denied', edgeId?: string): Locator {
    const edge = edgeId === undefined ? '' : `[data-edge="${edgeId}"]`;
    return this.graph.locator(`svg use[data-mark="${kind}"]${edge}`);
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

  /** How the graph draws an edge (classes, line style, label), or null when it is not in the graph. */
  edgeLook(id: string): Promise<EdgeLook | null> {
    return this.page.evaluate((edgeId) => window.__meshvizTopology!.edgeLook(edgeId), id);
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
      edgeLook(id: string): EdgeLook | null;
      panBy(dx: number, dy: number): void;
    };
  }
}
