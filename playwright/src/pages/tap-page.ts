import { RowAttrs, TestIds } from '@meshviz/web/testids';
import type { Locator } from 'playwright-core';
import { StreamPage } from './stream-page.js';

/** `/tap?namespace=&…`: live requests, one row each, with a panel of a request's parts. */
export class TapPage extends StreamPage {
  goto(dashboardUrl: string, params: Record<string, string> = {}, token?: string): Promise<void> {
    return this.gotoPath(dashboardUrl, '/tap', params, token);
  }

  get pause(): Locator {
    return this.page.getByTestId(TestIds.tapPause);
  }

  get exportJson(): Locator {
    return this.page.getByTestId(TestIds.tapExport);
  }

  get table(): Locator {
    return this.page.getByTestId(TestIds.tapTable);
  }

  /** The rows in the DOM (the table renders only those in and near view). */
  get rows(): Locator {
    return this.page.getByTestId(TestIds.tapRow);
  }

  /** Rows whose three parts have all arrived. */
  get completeRows(): Locator {
    return this.page.locator(`[data-testid="${TestIds.tapRow}"][${RowAttrs.parts}="3"]`);
  }

  /** The row of one request, by id. */
  row(id: string): Locator {
    return this.page.locator(`[data-testid="${TestIds.tapRow}"][${RowAttrs.requestId}="${id}"]`);
  }

  rowsWithOutcome(outcome: 'pending' | 'success' | 'failure'): Locator {
    return this.page.locator(`[data-testid="${TestIds.tapRow}"][${RowAttrs.outcome}="${outcome}"]`);
  }

  /** Rows of requests policy refused (their "denied" badge). */
  get deniedRows(): Locator {
    return this.page.locator(`[data-testid="${TestIds.tapRow}"][${RowAttrs.denied}="true"]`);
  }

  /** Refused requests whose answer has arrived too (the decision rides on the request's first part). */
  get answeredDeniedRows(): Locator {
    return this.page.locator(`[data-testid="${TestIds.tapRow}"][${RowAttrs.denied}="true"]:not([data-outcome="pending"])`);
  }

  /** The opened request's policy decision: refused (with the reason) or let in, by server, route and authorization. */
  get panelAuthz(): Locator {
    return this.panel.getByTestId(TestIds.tapPanelAuthz);
  }

  get panelAuthzReason(): Locator {
    return this.panel.getByTestId(TestIds.tapPanelAuthzReason);
  }

  /** The request ids of the rows in the DOM, newest first. */
  rowIds(): Promise<string[]> {
    return this.rows.evaluateAll((rows, attr) => rows.map((r) => r.getAttribute(attr) ?? ''), RowAttrs.requestId);
  }

  get empty(): Locator {
    return this.page.getByTestId(TestIds.tapEmpty);
  }

  get panel(): Locator {
    return this.page.getByTestId(TestIds.tapPanel);
  }

  /** The opened request's hop: mTLS with both ends' identities, or why not. */
  get panelTls(): Locator {
    return this.panel.getByTestId(TestIds.tapPanelTls);
  }

  get panelClose(): Locator {
    return this.page.getByTestId(TestIds.tapPanelClose);
  }

  get parts(): Locator {
    return this.panel.getByTestId(TestIds.tapPart);
  }

  /** The kinds of the parts in the panel, in order (requestInit, responseInit, responseEnd). */
  partKinds(): Promise<string[]> {
    return this.parts.evaluateAll((parts, attr) => parts.map((p) => p.getAttribute(attr) ?? ''), RowAttrs.part);
  }

  headers(part: 'requestInit' | 'responseInit'): Locator {
    return this.panel.locator(`[${RowAttrs.part}="${part}"] [data-testid="${TestIds.tapHeader}"]`);
  }
}
