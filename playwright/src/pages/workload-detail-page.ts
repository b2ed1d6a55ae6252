import { RowAttrs, TestIds } from '@meshviz/web/testids';
import type { Locator } from 'playwright-core';
import { ChartsPanel } from './charts-panel.js';
import { DashboardPage } from './dashboard-page.js';
import { LiveCallsPanel } from './live-calls-panel.js';

/** `/namespaces/<ns>/workloads/<name>`: one workload in depth. */
export class WorkloadDetailPage extends DashboardPage {
  readonly charts = new ChartsPanel(this.page, TestIds.goldenCharts);
  readonly liveCalls = new LiveCallsPanel(this.page);

  /** Opens a workload's page; `hash` is the fragment without # (a tap token link). */
  goto(dashboardUrl: string, namespace: string, name: string, params: Record<string, string> = {}, hash = ''): Promise<void> {
    return this.open(dashboardUrl, `/namespaces/${namespace}/workloads/${name}`, params, hash);
  }

  get title(): Locator {
    return this.page.getByRole('heading', { level: 1 });
  }

  stat(name: 'successRate' | 'rps' | 'p50' | 'p95' | 'p99' | 'meshedPods'): Locator {
    return this.page.locator(`[data-testid="${TestIds.detailStat}"][data-name="${name}"] dd`);
  }

  get notFound(): Locator {
    return this.page.getByTestId(TestIds.detailNotFound);
  }

  get neighbourGraph(): Locator {
    return this.page.getByTestId(TestIds.neighbourGraph);
  }

  neighbours(direction: 'upstream' | 'downstream'): Locator {
    return this.page.locator(`[data-testid="${TestIds.neighbourRow}"][${RowAttrs.direction}="${direction}"]`);
  }

  neighbour(direction: 'upstream' | 'downstream', namespace: string, name: string): Locator {
    return this.neighbours(direction).and(this.page.locator(`[${RowAttrs.namespace}="${namespace}"][${RowAttrs.name}="${name}"]`));
  }

  get pods(): Locator {
    return this.page.getByTestId(TestIds.podRow);
  }

  get podIdentities(): Locator {
    return this.page.getByTestId(TestIds.podIdentity);
  }

  get routesTable(): Locator {
    return this.page.getByTestId(TestIds.routesTable);
  }

  get routesEmpty(): Locator {
    return this.page.getByTestId(TestIds.routesEmpty);
  }

  /** The rows of the routes table. */
  get routeRows(): Locator {
    return this.routesTable.getByTestId(TestIds.routeRow);
  }

  routeRow(route: string): Locator {
    return this.routesTable.locator(`[data-testid="${TestIds.routeRow}"][${RowAttrs.route}="${route}"]`);
  }

  /** The header's link to the routes page of this workload. */
  get routeChartsLink(): Locator {
    return this.page.getByRole('link', { name: 'Route charts', exact: true });
  }

  /** The live calls panel's link to the Tap page of this workload. */
  get tapLink(): Locator {
    return this.page.getByTestId(TestIds.liveCallsTapLink);
  }

  /** The Authorization section: what the workload's proxies let in and refused. */
  get authz(): Locator {
    return this.page.getByTestId(TestIds.authzSection);
  }

  /** Rows of the authorization table (server × route × authorization, or × route for refused traffic). */
  get authzRows(): Locator {
    return this.authz.getByTestId(TestIds.authzRow);
  }

  /** Rows of refused traffic: no authorization (data-authorization=""), a denied rate. */
  get authzRefusedRows(): Locator {
    return this.authz.locator(`[data-testid="${TestIds.authzRow}"][${RowAttrs.authorization}=""]`);
  }

  /** "Denied by client identity" rows; `clientId` picks one identity's. */
  denialRows(clientId?: string): Locator {
    const rows = this.authz.getByTestId(TestIds.authzDenialRow);
    return clientId === undefined ? rows : rows.and(this.page.locator(`[${RowAttrs.clientId}="${clientId}"]`));
  }

  get authzEmpty(): Locator {
    return this.authz.getByTestId(TestIds.authzEmpty);
  }

  get authzError(): Locator {
    return this.authz.getByTestId(TestIds.authzError);
  }
}
