import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { auditA11y } from './a11y.js';

const SCREENSHOTS = new URL('../../screenshots/', import.meta.url);
export const WIDE_VIEWPORT = { width: 1920, height: 1080 } as const;

export interface Capture {
  /** Serious and critical axe findings, by theme. */
  blocking: { light: Awaited<ReturnType<typeof auditA11y>>; dark: Awaited<ReturnType<typeof auditA11y>> };
}

/**
 * Audits and photographs a page the way a reviewer looks at it: light at 1280×800 (screenshots/<name>.png), dark
 * (<name>-dark.png, by switching the system preference the page follows), and light at 1920×1080
 * (<name>-1920.png). axe runs in both themes, since contrast differs.
 */
export async function auditAndCapture(page: Page, name: string): Promise<Capture> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const shot = (suffix: string) => fileURLToPath(new URL(`${name}${suffix}.png`, SCREENSHOTS));
  const viewport = page.viewportSize();

  await page.emulateMedia({ colorScheme: 'light' });
  await waitForTheme(page, 'light');
  const light = await auditA11y(page, name, 'light');
  await page.screenshot({ path: shot(''), fullPage: true });

  await page.emulateMedia({ colorScheme: 'dark' });
  await waitForTheme(page, 'dark');
  const dark = await auditA11y(page, name, 'dark');
  await page.screenshot({ path: shot('-dark'), fullPage: true });

  await page.emulateMedia({ colorScheme: 'light' });
  await waitForTheme(page, 'light');
  await page.setViewportSize(WIDE_VIEWPORT);
  await page.waitForTimeout(300);
  await page.screenshot({ path: shot('-1920'), fullPage: true });
  if (viewport) await page.setViewportSize(viewport);
  return { blocking: { light, dark } };
}

async function waitForTheme(page: Page, theme: 'light' | 'dark'): Promise<void> {
  await page.waitForFunction((t) => document.documentElement.dataset.theme === t, theme, { timeout: 5_000 });
  // Canvas and chart colours follow on the next render.
  await page.waitForTimeout(250);
}
