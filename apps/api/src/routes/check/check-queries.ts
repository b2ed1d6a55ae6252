import { type CheckItem, type CheckResponse, type CheckStatus, type CheckTarget, METRIC } from '@meshviz/mesh-types';
import { selector } from '@meshviz/promql';
import { ApiHttpError } from '../../errors.js';
import type { PrometheusClient, ScrapeInterval } from '../../prometheus/client.js';
import { CONTROL_COMPONENT, CONTROL_COMPONENT_LABEL, identityChecks, type TrustFiles } from './identity.js';

/**
 * Requests to Prometheus per check: buildinfo, status/config (cached for a minute), targets and one query, plus
 * the proxies' certificates when identity is checked.
 */
export const CHECK_REQUEST_COUNT = 4;
export const IDENTITY_CHECK_REQUEST_COUNT = 1;

/** Scrapes older than this many intervals mean Prometheus has stopped scraping (or the clock is off). */
const STALE_SCRAPES = 3;

const worst = (items: CheckItem[]): CheckStatus =>
  items.some((i) => i.status === 'fail') ? 'fail' : items.some((i) => i.status === 'warn') ? 'warn' : 'ok';

function unreachable(err: unknown): CheckResponse {
  const detail = err instanceof ApiHttpError ? err.publicMessage : 'Prometheus could not be queried';
  const checks: CheckItem[] = [
    {
      id: 'prometheus-reachable',
      description: 'Prometheus is reachable',
      status: 'fail',
      detail,
      hint: 'check that Prometheus runs and that API_PROMETHEUS_URL points at it',
    },
  ];
  return {
    status: 'fail',
    checks,
    prometheus: { reachable: false, version: null, scrapeIntervalSeconds: null },
    targets: [],
    proxiesReporting: 0,
    lastScrapeAgeSeconds: null,
  };
}

/** Windows, caches and chart steps follow the scrape interval; when the store hides it, say how to set it. */
function scrapeIntervalItem(interval: ScrapeInterval): CheckItem {
  const item = { id: 'scrape-interval', description: 'The scrape interval is known' };
  if (interval.source === 'assumed') {
    return {
      ...item,
      status: 'warn',
      detail: `this store does not serve its configuration (/api/v1/status/config); assuming ${interval.seconds}s`,
      hint: 'set API_SCRAPE_INTERVAL to the scrape interval of the Prometheus servers that feed it, e.g. 15s',
    };
  }
  const from = interval.source === 'configured' ? 'API_SCRAPE_INTERVAL' : "Prometheus' configuration";
  return { ...item, status: 'ok', detail: `${interval.seconds}s, from ${from}` };
}

/** The health of the observability pipeline itself: Prometheus, its targets, and the proxies reporting. Four requests. */
export async function getCheck(prom: PrometheusClient, now = Date.now(), trust?: TrustFiles): Promise<CheckResponse> {
  let version: string | null;
  let interval: ScrapeInterval;
  try {
    [version, interval] = await Promise.all([prom.version(), prom.scrapeInterval()]);
  } catch (err) {
    return unreachable(err);
  }
  const [rawTargets, reporting] = await Promise.all([
    prom.targets().catch(() => null),
    prom.instant(`count(${selector(METRIC.proxyBuildInfo, [])})`).catch(() => []),
  ]);
  const controlTargets =
    rawTargets === null ? null : rawTargets.filter((t) => t.labels[CONTROL_COMPONENT_LABEL] === CONTROL_COMPONENT);
  const targets: CheckTarget[] = (rawTargets ?? [])
    .filter((t) => t.labels.pod !== undefined)
    .map((t) => ({
      namespace: t.labels.namespace ?? '',
      deployment: t.labels.deployment ?? '',
      pod: t.labels.pod ?? '',
      scrapeUrl: t.scrapeUrl,
      health: t.health === 'up' ? 'up' : t.health === 'down' ? 'down' : 'unknown',
      lastScrapeAgeSeconds: t.lastScrape ? Math.max(0, (now - t.lastScrape.getTime()) / 1000) : null,
      lastError: t.lastError,
    }));
  targets.sort((a, b) => `${a.namespace}/${a.pod}`.localeCompare(`${b.namespace}/${b.pod}`));
  const proxiesReporting = reporting[0]?.value ?? 0;
  const ups = targets.filter((t) => t.health === 'up');
  const down = targets.filter((t) => t.health === 'down');
  const ages = ups.map((t) => t.lastScrapeAgeSeconds).filter((a): a is number => a !== null);
  const lastScrapeAgeSeconds = ages.length > 0 ? Math.max(...ages) : null;
  const scrape = interval.seconds;

  const checks: CheckItem[] = [
    { id: 'prometheus-reachable', description: 'Prometheus is reachable', status: 'ok', detail: `version ${version ?? 'unknown'}, scrape interval ${scrape}s` },
    scrapeIntervalItem(interval),
    rawTargets === null
      ? { id: 'targets-up', description: 'Scrape targets are up', status: 'warn', detail: 'this store does not report its scrape targets' }
      : {
          id: 'targets-up',
          description: 'Scrape targets are up',
          status: targets.length === 0 || down.length > 0 ? 'fail' : 'ok',
          detail: `${ups.length} up, ${down.length} down`,
          ...(down[0] ? { hint: `${down[0].namespace}/${down[0].pod}: ${down[0].lastError || 'down'}` } : {}),
          ...(targets.length === 0 ? { hint: 'Prometheus has no meshviz proxy targets; check its scrape configuration' } : {}),
        },
    {
      id: 'proxies-reporting',
      description: 'Proxies are reporting metrics',
      status: proxiesReporting > 0 ? 'ok' : 'fail',
      detail: `${proxiesReporting} proxies report proxy_build_info`,
      ...(proxiesReporting === 0 ? { hint: 'no proxy metrics in Prometheus yet: are the proxies running and scraped?' } : {}),
    },
    {
      id: 'scrapes-fresh',
      description: 'Scrapes are recent',
      status: lastScrapeAgeSeconds === null ? 'warn' : lastScrapeAgeSeconds > scrape * STALE_SCRAPES ? 'fail' : 'ok',
      detail: lastScrapeAgeSeconds === null ? 'no scrape seen yet' : `oldest last scrape ${lastScrapeAgeSeconds.toFixed(1)}s ago`,
    },
    ...(await identityChecks(prom, trust, controlTargets, proxiesReporting, now)),
  ];
  return {
    status: worst(checks),
    checks,
    prometheus: { reachable: true, version, scrapeIntervalSeconds: scrape, scrapeIntervalSource: interval.source },
    targets,
    proxiesReporting,
    lastScrapeAgeSeconds,
  };
}
