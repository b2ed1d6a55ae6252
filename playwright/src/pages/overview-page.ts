import { RowAttrs, TestIds } from '@meshviz/web/testids';
import type { Locator } from 'playwright-core';
import { DashboardPage } from './dashboard-page.js';

/** `/`: the mesh by namespace. */
export class OverviewPage extends DashboardPage {
  goto(dashboardUrl: string): Promise<void> {
    return this.open(dashboardUrl, '/');
  }

  get summary(): Locator {
    return this.page.getByTestId(TestIds.overviewSummary);
  }

  get table(): Locator {
    return this.page.getByTestId(TestIds.namespacesTable);
  }

  row(namespace: string): Locator {
    return this.page.locator(`[data-testid="${TestIds.namespaceRow}"][${RowAttrs.namespace}="${namespace}"]`);
  }

  /** The namespace's link to its workloads. */
  namespaceLink(namespace: string): Locator {
    return this.row(namespace).getByRole('link', { name: namespace, exact: true });
  }

  async meshedPods(namespace: string): Promise<number> {
    return Number(await this.row(namespace).locator('td').first().textContent());
  }

  async rps(namespace: string): Promise<number | null> {
    const raw = await this.row(namespace).getAttribute(RowAttrs.rps);
    return raw === null || raw === '' ? null : Number(raw);
  }
}
