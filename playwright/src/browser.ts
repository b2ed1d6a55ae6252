import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';

/**
 * Debian's Chromium (or CHROMIUM_BIN), headless; playwright-core never downloads a browser. `extraArgs` go on its
 * command line (e.g. --host-resolver-rules, to give a made-up name a local address).
 */
export function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_BIN ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...extraArgs,
    ],
  });
}

/** The viewport the dashboard is designed for. */
export const DESKTOP_VIEWPORT = { width: 1280, height: 800 } as const;

/**
 * A page in a context of its own at the desktop viewport (axe-core needs pages made through a context). Closing the
 * page's context closes the page.
 */
export async function newDesktopPage(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: DESKTOP_VIEWPORT, ...options });
  return context.newPage();
}
