import { RowAttrs, TestIds } from '@meshviz/web/testids';
import type { Locator } from 'playwright-core';
import { DashboardPage } from './dashboard-page.js';

/** `/namespaces/<ns>/services/<name>`: one service as its callers measured it, its callers and its backends. */
export class ServiceDetailPage extends DashboardPage {
  goto(dashboardUrl: string, namespace: string, name: string, params: Record<string, string> = {}): Promise<void> {
    return this.open(dashboardUrl, `/namespaces/${namespace}/services/${name}`, params);
  }

  get title(): Locator {
    return this.page.getByRole('heading', { level: 1 });
  }

  /** The line under the title, which names the authority callers address. */
  get subtitle(): Locator {
    return this.title.locator('xpath=following-sibling::p[1]');
  }

  stat(name: 'successRate' | 'rps' | 'p50' | 'p95' | 'p99' | 'mtlsShare'): Locator {
    return this.page.locator(`[data-testid="${TestIds.serviceStat}"][data-name="${name}"] dd`);
  }

  get notFound(): Locator {
    return this.page.getByTestId(TestIds.serviceNotFound);
  }

  get empty(): Locator {
    return this.page.getByTestId(TestIds.serviceEmpty);
  }

  get callers(): Locator {
    return this.page.locator(`[data-testid="${TestIds.neighbourRow}"][${RowAttrs.direction}="upstream"]`);
  }

  caller(namespace: string, name: string): Locator {
    return this.callers.and(this.page.locator(`[${RowAttrs.namespace}="${namespace}"][${RowAttrs.name}="${name}"]`));
  }

  get backends(): Locator {
    return this.page.getByTestId(TestIds.backendRow);
  }

  backend(namespace: string, name: string): Locator {
    return this.backends.and(this.page.locator(`[${RowAttrs.namespace}="${namespace}"][${RowAttrs.name}="${name}"]`));
  }

  /** A backend row's link to its workload page. */
  backendLink(namespace: string, name: string): Locator {
    return this.backend(namespace, name).getByRole('link', { name: `${namespace}/${name}`, exact: true });
  }

  backendTapLink(namespace: string, name: string): Locator {
    return this.backend(namespace, name).getByTestId(TestIds.backendTapLink);
  }

  backendRoutesLink(namespace: string, name: string): Locator {
    return this.backend(namespace, name).getByTestId(TestIds.backendRoutesLink);
  }

  get neighbourGraph(): Locator {
    return this.page.getByTestId(TestIds.neighbourGraph);
  }

  /** The id of the node the neighbourhood graph highlights. */
  graphFocus(): Promise<string | null> {
    return this.page.locator(`[${RowAttrs.focus}]`).getAttribute(RowAttrs.focus);
  }

  /** The header's link to the routes page of this service. */
  get routesLink(): Locator {
    return this.page.getByTestId(TestIds.serviceRoutesLink);
  }

  /** The traffic split: one table per route, one row per backend (data-backend="<ns>/<name>"). */
  get split(): Locator {
    return this.page.getByTestId(TestIds.serviceSplit);
  }

  splitRow(backend: string, route?: string): Locator {
    const rows = route === undefined ? this.page : this.page.locator(`[data-testid="${TestIds.splitRoute}"][${RowAttrs.route}="${route}"]`);
    return rows.locator(`[data-testid="${TestIds.splitRow}"][${RowAttrs.backend}="${backend}"]`);
  }

  get splitRows(): Locator {
    return this.page.getByTestId(TestIds.splitRow);
  }

  /** Each backend's endpoints (data-backend, data-ready, data-pending) and the pods its breakers tripped. */
  endpointRow(backend: string): Locator {
    return this.page.locator(`[data-testid="${TestIds.endpointRow}"][${RowAttrs.backend}="${backend}"]`);
  }

  get endpointTrips(): Locator {
    return this.page.getByTestId(TestIds.endpointTrip);
  }

  /** The configured circuit breaking, in words. */
  get accrual(): Locator {
    return this.page.getByTestId(TestIds.serviceAccrual);
  }

  get configuredUnknown(): Locator {
    return this.page.getByTestId(TestIds.configuredUnknown);
  }
}
