import { ENDPOINTS } from '@meshviz/api-client';
import type { RoutesResponse } from '@meshviz/mesh-types';
import { DNS1123_LABEL } from '@meshviz/mesh-types';
import { apiAt } from '../api.js';
import type { CliEnv } from '../config.js';
import { fmtMs, fmtPercent, fmtRps, renderTable } from '../table.js';
import { COMMON_HELP, parseCommon } from './api-flags.js';
import { fmtRetry, fmtTimeouts } from './outbound-format.js';
import { UsageError } from './usage-error.js';

const HELP = `Usage: meshviz routes <target> -n <namespace> [options]

Golden metrics per route. <target> is a workload (web, deploy/web) or a service (svc/web):
  a workload's routes are what its own proxies answered (the server's view);
  a service's routes are what its callers saw (their proxies' view), with ACTUAL success and RPS on the wire,
  retries included; VIEW says "servers" for a route no meshed caller reported. A service's routes also show
  their configured TIMEOUT (the whole request; resp= each attempt, idle= a stalled body) and RETRY policy
  (limit x statuses retried, /per-attempt timeout), "-" when the configuration is not known; RETRIES, the retries
  sent per second, and TIMEOUTS, the requests per second that timed out. A configured route without traffic is a
  row too.
Traffic that matched no route is the [unmatched] row.
${COMMON_HELP}`;

const WORKLOAD_KINDS = new Set(['deploy', 'deployment', 'deployments']);
const SERVICE_KINDS = new Set(['svc', 'service', 'services']);

/** "web", "deploy/web" or "svc/web" → which parameter of /api/v1/routes, and the name. */
export function parseRouteTarget(arg: string | undefined): { param: 'workload' | 'service'; name: string } {
  if (arg === undefined) throw new UsageError(`meshviz routes needs a workload or a service, e.g. "web" or "svc/web"\n\n${HELP}`);
  const slash = arg.indexOf('/');
  const kind = slash < 0 ? 'deploy' : arg.slice(0, slash);
  const name = arg.slice(slash + 1);
  const param = WORKLOAD_KINDS.has(kind) ? 'workload' : SERVICE_KINDS.has(kind) ? 'service' : null;
  if (param === null) throw new UsageError(`<target> "${arg}": the kind must be deploy or svc, e.g. "deploy/web" or "svc/web"`);
  if (!DNS1123_LABEL.test(name)) {
    throw new UsageError(`<target> "${arg}": "${name}" is not a ${param} name (lower-case letters, digits and "-")`);
  }
  return { param, name };
}

export async function runRoutes(argv: string[], env: CliEnv): Promise<number> {
  const { common, values, positionals } = parseCommon(argv, env);
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`meshviz routes takes one <target>, got "${positionals.join(' ')}"`);
  const target = parseRouteTarget(positionals[0]);
  if (common.namespace === 'all') {
    throw new UsageError('-n/--namespace: meshviz routes needs the namespace of the workload or service, e.g. -n bookshop');
  }
  const routes = await apiAt(common.api).get(ENDPOINTS.routes, {
    query: { namespace: common.namespace, [target.param]: target.name, window: common.window },
  });
  if (common.output === 'json') {
    process.stdout.write(`${JSON.stringify(routes, null, 2)}\n`);
    return 0;
  }
  if (routes.rows.length === 0) {
    process.stdout.write(`no route traffic of ${target.param} ${common.namespace}/${target.name} in the last ${common.window}\n`);
    return 0;
  }
  process.stdout.write(`${renderRoutes(routes, target.param === 'service')}\n`);
  return 0;
}

const sumTimeouts = (t: NonNullable<RoutesResponse['rows'][number]['timeouts']>) => t.request + t.response + t.idle;

/**
 * The routes table; for a service also the configured TIMEOUT and RETRY and what retries and timeouts did, then a
 * line per route whose retries ran out or found the budget spent, and why the configuration is unknown if it is.
 */
export function renderRoutes(routes: RoutesResponse, service: boolean): string {
  const rows = routes.rows.map((r) => [
    r.route === '' ? '[unmatched]' : r.route,
    r.rps === null ? 'no traffic' : fmtPercent(r.successRate),
    fmtRps(r.rps),
    fmtPercent(r.actualSuccessRate),
    fmtRps(r.actualRps),
    fmtMs(r.latencyMs.p50),
    fmtMs(r.latencyMs.p95),
    fmtMs(r.latencyMs.p99),
    ...(service
      ? [
          r.direction === undefined ? '-' : r.direction === 'inbound' ? 'servers' : 'callers',
          fmtTimeouts(r.configured),
          fmtRetry(r.configured),
          fmtRps(r.retries?.rps ?? null),
          fmtRps(r.timeouts ? sumTimeouts(r.timeouts) : null),
        ]
      : []),
  ]);
  const headers = [
    'ROUTE',
    'SUCCESS',
    'RPS',
    'ACTUAL_SUCCESS',
    'ACTUAL_RPS',
    'P50',
    'P95',
    'P99',
    ...(service ? ['VIEW', 'TIMEOUT', 'RETRY', 'RETRIES', 'TIMEOUTS'] : []),
  ];
  const lines = [renderTable(headers, rows, new Set([1, 2, 3, 4, 5, 6, 7, 12, 13]))];
  if (!service) return lines[0] ?? '';
  for (const r of routes.rows) {
    const notes: string[] = [];
    if (r.retries?.limitExceededRps) notes.push(`${fmtRps(r.retries.limitExceededRps)} ran out of retries`);
    if (r.retries?.overflowRps) notes.push(`${fmtRps(r.retries.overflowRps)} found the retry budget spent`);
    if (r.timeouts && sumTimeouts(r.timeouts) > 0) {
      const kinds = (['request', 'response', 'idle'] as const).filter((k) => (r.timeouts?.[k] ?? 0) > 0);
      notes.push(`timeouts: ${kinds.map((k) => `${fmtRps(r.timeouts?.[k] ?? 0)} ${k}`).join(', ')}`);
    }
    if (notes.length > 0) lines.push(`${r.route === '' ? '[unmatched]' : r.route}: ${notes.join('; ')}`);
  }
  if (routes.configured && !routes.configured.known) lines.push(`configured policy not known: ${routes.configured.reason ?? 'no reason given'}`);
  return lines.join('\n');
}
