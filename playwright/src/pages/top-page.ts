import { RowAttrs, TestIds } from '@meshviz/web/testids';
import type { Locator } from 'playwright-core';
import { StreamPage } from './stream-page.js';

/** `/top?namespace=&…`: tapped requests grouped by source, destination, method and path. */
export class TopPage extends StreamPage {
  goto(dashboardUrl: string, params: Record<string, string> = {}, token?: string): Promise<void> {
    return this.gotoPath(dashboardUrl, '/top', params, token);
  }

  get table(): Locator {
    return this.page.getByTestId(TestIds.topTable);
  }

  get rows(): Locator {
    return this.page.getByTestId(TestIds.topRow);
  }

  get empty(): Locator {
    return this.page.getByTestId(TestIds.topEmpty);
  }

  sortBy(key: string): Locator {
    return this.page.locator(`[data-testid="${TestIds.topSort}"][${RowAttrs.sortKey}="${key}"]`);
  }

  /** The raw request counts of the rows, in table order. */
  counts(): Promise<number[]> {
    return this.rows.evaluateAll((rows, attr) => rows.map((r) => Number(r.getAttribute(attr))), RowAttrs.requests);
  }
}
