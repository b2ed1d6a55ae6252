import { RowAttrs, TestIds } from '@meshviz/web/testids';
import type { Locator } from 'playwright-core';
import { DashboardPage } from './dashboard-page.js';

/** `/check`: the metrics pipeline's checks and scrape targets. */
export class CheckPage extends DashboardPage {
  goto(dashboardUrl: string): Promise<void> {
    return this.open(dashboardUrl, '/check');
  }

  get overall(): Locator {
    return this.page.getByTestId(TestIds.checkOverall);
  }

  get items(): Locator {
    return this.page.getByTestId(TestIds.checkItem);
  }

  item(id: string): Locator {
    return this.page.locator(`[data-testid="${TestIds.checkItem}"][${RowAttrs.checkId}="${id}"]`);
  }

  get targets(): Locator {
    return this.page.getByTestId(TestIds.targetRow);
  }

  status(locator: Locator): Promise<string | null> {
    return locator.getAttribute(RowAttrs.status);
  }
}
