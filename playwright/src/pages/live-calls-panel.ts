import { TestIds } from '@meshviz/web/testids';
import type { Locator } from 'playwright-core';
import { StreamPage } from './stream-page.js';

/** The live calls section of a workload's page: a small Top with its own Start. */
export class LiveCallsPanel extends StreamPage {
  protected override within(): Locator {
    return this.page.getByTestId(TestIds.liveCalls);
  }

  get section(): Locator {
    return this.within();
  }

  get rows(): Locator {
    return this.within().getByTestId(TestIds.topRow);
  }

  get tapLink(): Locator {
    return this.within().getByTestId(TestIds.liveCallsTapLink);
  }
}
