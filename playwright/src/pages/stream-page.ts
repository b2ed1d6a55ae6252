import { RowAttrs, TestIds } from '@meshviz/web/testids';
import type { Locator } from 'playwright-core';
import { DashboardPage } from './dashboard-page.js';

/** The stream status line's states (data-stream-status). */
export type StreamStatus = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'stopped' | 'ended' | 'failed';

/** What Tap and Top share: the token form, the filters and Start/Stop with their status line. */
export class StreamPage extends DashboardPage {
  /** Opens a stream page; `token` goes in the fragment the way `meshviz up` prints its tap link. */
  gotoPath(dashboardUrl: string, path: string, params: Record<string, string> = {}, token?: string): Promise<void> {
    return this.open(dashboardUrl, path, params, token === undefined ? '' : `tap-token=${token}`);
  }

  /** Scopes every locator to a part of the page (the live calls section of a workload). */
  protected within(): Locator | null {
    return null;
  }

  protected byTestId(id: string): Locator {
    return this.within()?.getByTestId(id) ?? this.page.getByTestId(id);
  }

  get tokenForm(): Locator {
    return this.byTestId(TestIds.tapTokenForm);
  }

  get tokenInput(): Locator {
    return this.byTestId(TestIds.tapTokenInput);
  }

  get tokenSubmit(): Locator {
    return this.byTestId(TestIds.tapTokenSubmit);
  }

  get forgetToken(): Locator {
    return this.byTestId(TestIds.tapTokenForget);
  }

  get filters(): Locator {
    return this.byTestId(TestIds.tapFilters);
  }

  /** A filter's input or select by its URL parameter (namespace is the shared namespace select). */
  filter(name: string): Locator {
    if (name === 'namespace') return this.filters.getByTestId(TestIds.namespaceSelect);
    return this.filters.locator(`[${RowAttrs.filter}="${name}"] [data-testid="${TestIds.tapFilter}"]`);
  }

  get start(): Locator {
    return this.byTestId(TestIds.streamStart);
  }

  get stop(): Locator {
    return this.byTestId(TestIds.streamStop);
  }

  get status(): Locator {
    return this.byTestId(TestIds.streamStatus);
  }

  /** What the page says about a stream that broke: reconnecting (with the attempt), then reconnected. */
  get reconnect(): Locator {
    return this.byTestId(TestIds.streamReconnect);
  }

  async streamStatus(): Promise<StreamStatus> {
    return (await this.status.getAttribute(RowAttrs.streamStatus)) as StreamStatus;
  }

  /** Waits until the stream reaches a state. */
  async waitForStatus(status: StreamStatus, timeout = 15_000): Promise<void> {
    await this.status.and(this.page.locator(`[${RowAttrs.streamStatus}="${status}"]`)).waitFor({ timeout });
  }

  /** A count of the counts row (seen, shown, drops, upstream-errors on Tap; events, rows, drops on Top). */
  async count(name: string): Promise<number> {
    const value = await this.page.locator(`[data-testid="${TestIds.tapCount}"][${RowAttrs.count}="${name}"]`).getAttribute(RowAttrs.value);
    return Number(value);
  }
}
