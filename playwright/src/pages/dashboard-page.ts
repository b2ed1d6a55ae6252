import { TestIds } from '@meshviz/web/testids';
import type { Locator, Page } from 'playwright-core';

/** What every page of the dashboard has: the header (nav, time controls, theme) and the error banner. */
export class DashboardPage {
  constructor(readonly page: Page) {}

  /** Opens a path of the dashboard with optional query parameters (and fragment, without its #). */
  async open(dashboardUrl: string, path: string, params: Record<string, string> = {}, hash = ''): Promise<void> {
    const url = new URL(path, dashboardUrl);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    url.hash = hash;
    await this.page.goto(url.href);
  }

  get url(): URL {
    return new URL(this.page.url());
  }

  get header(): Locator {
    return this.page.getByTestId(TestIds.appHeader);
  }

  get banner(): Locator {
    return this.page.getByTestId(TestIds.apiErrorBanner);
  }

  /** The page frame's banner while Prometheus is unreachable, and what it says once it answers again. */
  get metricsOutage(): Locator {
    return this.page.getByTestId(TestIds.metricsOutageBanner);
  }

  get metricsRecovered(): Locator {
    return this.page.getByTestId(TestIds.metricsRecovered);
  }

  /** Whether the page marks its data stale (greyed) for a Prometheus outage. */
  async metricsStale(): Promise<boolean> {
    return (await this.page.locator('main').getAttribute('data-metrics-stale')) === 'true';
  }

  nav(name: 'overview' | 'workloads' | 'topology' | 'routes' | 'tap' | 'top' | 'check'): Locator {
    const ids = {
      overview: TestIds.navOverview,
      workloads: TestIds.navWorkloads,
      topology: TestIds.navTopology,
      routes: TestIds.navRoutes,
      tap: TestIds.navTap,
      top: TestIds.navTop,
      check: TestIds.navCheck,
    } as const;
    return this.page.getByTestId(ids[name]);
  }

  get windowSelect(): Locator {
    return this.page.getByTestId(TestIds.windowSelect);
  }

  get rangeSelect(): Locator {
    return this.page.getByTestId(TestIds.rangeSelect);
  }

  get refreshSelect(): Locator {
    return this.page.getByTestId(TestIds.refreshSelect);
  }

  get customFrom(): Locator {
    return this.page.getByTestId(TestIds.customRangeFrom);
  }

  get customTo(): Locator {
    return this.page.getByTestId(TestIds.customRangeTo);
  }

  get customApply(): Locator {
    return this.page.getByTestId(TestIds.customRangeApply);
  }

  get themeToggle(): Locator {
    return this.page.getByTestId(TestIds.themeToggle);
  }

  /** The theme on screen (data-theme on <html>). */
  theme(): Promise<string | undefined> {
    return this.page.evaluate(() => document.documentElement.dataset.theme);
  }
}
