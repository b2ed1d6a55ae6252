import { RowAttrs, TestIds } from '@meshviz/web/testids';
import type { Locator, Page } from 'playwright-core';

/** A set of golden charts (success rate, RPS, latency) with their legend toggles. */
export class ChartsPanel {
  constructor(
    readonly page: Page,
    readonly testId: string,
  ) {}

  get root(): Locator {
    return this.page.getByTestId(this.testId);
  }

  chart(name: 'success' | 'rps' | 'latency'): Locator {
    return this.root.locator(`[data-testid="${TestIds.chart}"][${RowAttrs.chart}="${name}"]`);
  }

  /** How many points of the chart hold a value (gaps excluded). */
  async points(name: 'success' | 'rps' | 'latency'): Promise<number> {
    return Number(await this.chart(name).getAttribute(RowAttrs.points));
  }

  /** Waits until a chart has at least `count` points with values. */
  async waitForPoints(name: 'success' | 'rps' | 'latency', count: number, timeoutMs: number): Promise<void> {
    const selector = `[data-testid="${this.testId}"] [data-testid="${TestIds.chart}"][${RowAttrs.chart}="${name}"]`;
    await this.page.waitForFunction(
      ({ selector, attr, count }) => Number(document.querySelector(selector)?.getAttribute(attr) ?? 0) >= count,
      { selector, attr: RowAttrs.points, count },
      { timeout: timeoutMs, polling: 250 },
    );
  }

  legendItem(series: string): Locator {
    return this.root.locator(`[data-testid="${TestIds.chartLegendItem}"][${RowAttrs.series}="${series}"]`).first();
  }

  /** The drawn line of a series in a chart (absent when the series is hidden). */
  line(name: 'success' | 'rps' | 'latency'): Locator {
    return this.chart(name).locator('.recharts-line');
  }
}
