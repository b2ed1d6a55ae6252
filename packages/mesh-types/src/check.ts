import { z } from 'zod';

export const CheckStatus = z.enum(['ok', 'warn', 'fail']);
export type CheckStatus = z.infer<typeof CheckStatus>;

export const CheckTarget = z.object({
  namespace: z.string(),
  deployment: z.string(),
  pod: z.string(),
  scrapeUrl: z.string(),
  health: z.enum(['up', 'down', 'unknown']),
  lastScrapeAgeSeconds: z.number().nullable(),
  lastError: z.string(),
});
export type CheckTarget = z.infer<typeof CheckTarget>;

/** One line of `meshviz check` / the check page: what was checked, how it went, and a hint when it did not. */
export const CheckItem = z.object({
  id: z.string(),
  description: z.string(),
  status: CheckStatus,
  detail: z.string(),
  hint: z.string().optional(),
});
export type CheckItem = z.infer<typeof CheckItem>;

export const CheckResponse = z.object({
  status: CheckStatus,
  checks: z.array(CheckItem),
  prometheus: z.object({
    reachable: z.boolean(),
    version: z.string().nullable(),
    scrapeIntervalSeconds: z.number().nullable(),
    /**
     * Where the scrape interval comes from: API_SCRAPE_INTERVAL (`configured`), the store's own configuration
     * (`prometheus`), or Prometheus' default when the store does not serve its configuration (`assumed`).
     */
    scrapeIntervalSource: z.enum(['configured', 'prometheus', 'assumed']).optional(),
  }),
  targets: z.array(CheckTarget),
  /** Proxies whose proxy_build_info Prometheus has now. */
  proxiesReporting: z.number().int().nonnegative(),
  /** Age of the oldest "last scrape" among up targets; null when there is none. */
  lastScrapeAgeSeconds: z.number().nullable(),
});
export type CheckResponse = z.infer<typeof CheckResponse>;
