import { RowAttrs, TestIds } from '@meshviz/web/testids';
import type { Locator } from 'playwright-core';
import { ChartsPanel } from './charts-panel.js';
import { DashboardPage } from './dashboard-page.js';

/** `/routes?namespace=&workload=&route=`: a workload's routes and the chosen route's charts. */
export class RoutesPage extends DashboardPage {
  readonly charts = new ChartsPanel(this.page, TestIds.routeCharts);

  goto(dashboardUrl: string, params: Record<string, string> = {}): Promise<void> {
    return this.open(dashboardUrl, '/routes', params);
  }

  get picker(): Locator {
    return this.page.getByTestId(TestIds.workloadPicker);
  }

  get table(): Locator {
    return this.page.getByTestId(TestIds.routesTable);
  }

  get empty(): Locator {
    return this.page.getByTestId(TestIds.routesEmpty);
  }

  get rows(): Locator {
    return this.page.getByTestId(TestIds.routeRow);
  }

  row(route: string): Locator {
    return this.page.locator(`[data-testid="${TestIds.routeRow}"][${RowAttrs.route}="${route}"]`);
  }

  /** The route's name, a link that selects it and shows its charts. */
  link(route: string): Locator {
    return this.row(route).getByTestId(TestIds.routeLink);
  }
}
