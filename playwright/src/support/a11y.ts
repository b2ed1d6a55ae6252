import { mkdir, writeFile } from 'node:fs/promises';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

const RESULTS = new URL('../../results/', import.meta.url);
const BLOCKING = new Set(['serious', 'critical']);

export interface A11yReport {
  page: string;
  theme: string;
  /** Violations by impact (minor, moderate, serious, critical). */
  counts: Record<string, number>;
  violations: { id: string; impact: string; nodes: number; help: string; targets: string[] }[];
}

/**
 * Runs axe-core (WCAG 2.0–2.2 A/AA and best practices) on the page as it is, writes the findings to
 * playwright/results/axe-<name>-<theme>.json and returns the serious and critical ones (the specs fail on those).
 */
export async function auditA11y(page: Page, name: string, theme: string): Promise<A11yReport['violations']> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  const violations = results.violations.map((v) => ({
    id: v.id,
    impact: v.impact ?? 'unknown',
    nodes: v.nodes.length,
    help: v.help,
    targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
  }));
  const counts: Record<string, number> = {};
  for (const v of violations) counts[v.impact] = (counts[v.impact] ?? 0) + 1;
  const report: A11yReport = { page: name, theme, counts, violations };
  await mkdir(RESULTS, { recursive: true });
  await writeFile(new URL(`axe-${name}-${theme}.json`, RESULTS), `${JSON.stringify(report, null, 2)}\n`);
  return violations.filter((v) => BLOCKING.has(v.impact));
}
