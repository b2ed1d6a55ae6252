import { TestIds, WorkloadRowAttrs } from '@meshviz/web/testids';
import type { Locator } from 'playwright-core';
import { DashboardPage } from './dashboard-page.js';

const byTestId = (id: string) => `[data-testid="${id}"]`;

/** The /workloads page, as a user sees it: a table of workloads, a namespace selector and an error banner. */
export class WorkloadsPage extends DashboardPage {
  async goto(dashboardUrl: string, namespace?: string): Promise<void> {
    const url = new URL('/workloads', dashboardUrl);
    if (namespace) url.searchParams.set('namespace', namespace);
    await this.page.goto(url.href);
  }

  get table(): Locator {
    return this.page.getByTestId(TestIds.workloadsTable);
  }

  get namespaceSelect(): Locator {
    return this.page.getByTestId(TestIds.namespaceSelect);
  }

  get rows(): Locator {
    return this.page.getByTestId(TestIds.workloadRow);
  }

  row(namespace: string, workload: string): Locator {
    return this.page.locator(
      `${byTestId(TestIds.workloadRow)}[${WorkloadRowAttrs.namespace}="${namespace}"][${WorkloadRowAttrs.workload}="${workload}"]`,
    );
  }

  /** The workload's name, a link to its detail page. */
  link(namespace: string, workload: string): Locator {
    return this.row(namespace, workload).getByTestId(TestIds.workloadLink);
  }

  successRateCell(namespace: string, workload: string): Locator {
    return this.row(namespace, workload).getByTestId(TestIds.workloadSuccessRate);
  }

  rpsCell(namespace: string, workload: string): Locator {
    return this.row(namespace, workload).getByTestId(TestIds.workloadRps);
  }

  /** The raw rps the row was rendered from; null when the page shows "no traffic". */
  async rps(namespace: string, workload: string): Promise<number | null> {
    const raw = await this.row(namespace, workload).getAttribute(WorkloadRowAttrs.rps);
    return raw === null || raw === '' ? null : Number(raw);
  }

  /** Waits (polling the live page) until the workload's row shows a non-zero rate. */
  async waitForTraffic(namespace: string, workload: string, timeoutMs: number): Promise<void> {
    const selector = `${byTestId(TestIds.workloadRow)}[${WorkloadRowAttrs.namespace}="${namespace}"][${WorkloadRowAttrs.workload}="${workload}"]`;
    await this.page.waitForFunction(
      ({ selector, attr }) => Number(document.querySelector(selector)?.getAttribute(attr) || 0) > 0,
      { selector, attr: WorkloadRowAttrs.rps },
      { timeout: timeoutMs, polling: 250 },
    );
  }

  async selectNamespace(namespace: string): Promise<void> {
    await this.namespaceSelect.selectOption(namespace);
  }

  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path, fullPage: true });
  }
}
