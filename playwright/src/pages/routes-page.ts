import { RowAttrs, TestIds } from '@meshviz/web/testids';
import type { Locator } from 'playwright-core';
import { ChartsPanel } from './charts-panel.js';
import { DashboardPage } from './dashboard-page.js';

/**
 * `/routes?namespace=&workload=&route=`: a workload's routes and the chosen route's charts;
 * `/routes?namespace=&service=`: a service's routes as its callers saw them.
 */
export class RoutesPage extends DashboardPage {
  readonly charts = new ChartsPanel(this.page, TestIds.routeCharts);

  goto(dashboardUrl: string, params: Record<string, string> = {}): Promise<void> {
    return this.open(dashboardUrl, '/routes', params);
  }

  /** The workload-or-service picker; its values are "workload/<ns>/<name>" and "service/<ns>/<name>". */
  get picker(): Locator {
    return this.page.getByTestId(TestIds.routesPicker);
  }

  get title(): Locator {
    return this.page.getByRole('heading', { level: 1 });
  }

  /** The page title once it reads exactly `name` ("Routes of service bookshop/reviews"). */
  heading(name: string): Locator {
    return this.page.getByRole('heading', { level: 1, name, exact: true });
  }

  /** What the page says when the address names no valid workload or service. */
  get invalid(): Locator {
    return this.page.getByTestId(TestIds.routesInvalid);
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

  /** Route names that select a route and show its charts (a workload's routes only). */
  get links(): Locator {
    return this.page.getByTestId(TestIds.routeLink);
  }

  row(route: string): Locator {
    return this.page.locator(`[data-testid="${TestIds.routeRow}"][${RowAttrs.route}="${route}"]`);
  }

  /** The route's name, a link that selects it and shows its charts. */
  link(route: string): Locator {
    return this.row(route).getByTestId(TestIds.routeLink);
  }

  /** A service's route: its configured timeout and retry policy, as the Configured cell words them. */
  configuredTimeout(route: string): Locator {
    return this.row(route).getByTestId(TestIds.routeTimeout);
  }

  configuredRetry(route: string): Locator {
    return this.row(route).getByTestId(TestIds.routeRetry);
  }

  /** A service's route: retries sent per second, and requests per second that timed out. */
  retries(route: string): Locator {
    return this.row(route).getByTestId(TestIds.routeRetries);
  }

  timedOut(route: string): Locator {
    return this.row(route).getByTestId(TestIds.routeTimeouts);
  }

  /** What the page says when the API does not know the configured policy. */
  get configuredUnknown(): Locator {
    return this.page.getByTestId(TestIds.configuredUnknown);
  }
}
