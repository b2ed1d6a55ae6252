import type { BackendEndpoints, FailureAccrual, ServiceDetailResponse, SplitBackend } from '@meshviz/mesh-types';
import { fmtMs, fmtPercent, fmtRps, renderTable } from '../table.js';
import { fmtDuration } from './outbound-format.js';

const backendName = (b: { namespace: string; name: string }, namespace: string) => (b.namespace === namespace ? b.name : `${b.namespace}/${b.name}`);

/** Per route, each backend's configured weight (and its share of the route's weights) beside its measured share. */
function splitTable(rows: readonly SplitBackend[], namespace: string): string {
  let last = '';
  const body = rows.map((s) => {
    const route = `${s.route.kind}/${s.route.name}`;
    const first = route !== last;
    last = route;
    return [
      first ? s.route.name : '',
      backendName(s.backend, namespace),
      s.configuredWeight === null ? '-' : String(s.configuredWeight),
      fmtPercent(s.configuredShare),
      fmtPercent(s.measuredShare),
      s.rps === null ? 'no traffic' : fmtPercent(s.successRate),
      fmtRps(s.rps),
    ];
  });
  return renderTable(['ROUTE', 'BACKEND', 'WEIGHT', 'CONFIGURED', 'MEASURED', 'SUCCESS', 'RPS'], body, new Set([2, 3, 4, 5, 6]));
}

/** Each backend's endpoints in the callers' balancers, and the endpoints whose breaker tripped in the window. */
function endpointsTable(rows: readonly BackendEndpoints[], namespace: string): string {
  const body = rows.map((e) => [
    backendName(e.backend, namespace),
    e.ready === null ? '-' : String(e.ready),
    e.pending === null ? '-' : String(e.pending),
    String(e.proxies),
    e.trips.length === 0 ? '-' : e.trips.map((t) => `${t.pod ?? t.endpoint} ×${Number(t.trips.toFixed(1))}`).join(', '),
  ]);
  return renderTable(['BACKEND', 'READY', 'PENDING', 'CALLERS', 'TRIPPED'], body, new Set([1, 2, 3]));
}

export function fmtAccrual(a: FailureAccrual): string {
  if (a.kind === 'none') return 'none (endpoints are never tripped)';
  return `${a.kind}: trip after ${a.maxFailures} failures in a row, penalty ${fmtDuration(a.minPenaltyMs)}–${fmtDuration(a.maxPenaltyMs)}, jitter ${a.jitter}`;
}

/**
 * `meshviz stat svc/<name>`: the service's own numbers, its traffic split and its endpoints' state, then what is
 * configured for it or why that is not known.
 */
export function renderServiceSplit(detail: ServiceDetailResponse): string {
  const { service } = detail;
  const lines = [
    renderTable(
      ['SERVICE', 'SUCCESS', 'RPS', 'P50', 'P95', 'P99'],
      [
        [
          `${service.namespace}/${service.name}`,
          service.rps === null ? 'no traffic' : fmtPercent(service.successRate),
          fmtRps(service.rps),
          fmtMs(service.latencyMs.p50),
          fmtMs(service.latencyMs.p95),
          fmtMs(service.latencyMs.p99),
        ],
      ],
      new Set([1, 2, 3, 4, 5]),
    ),
    '',
    (detail.split ?? []).length === 0 ? `no routes with backends in the last ${detail.window}` : splitTable(detail.split ?? [], service.namespace),
    '',
    (detail.endpoints ?? []).length === 0
      ? `no backend endpoints reported in the last ${detail.window}`
      : endpointsTable(detail.endpoints ?? [], service.namespace),
  ];
  if (detail.failureAccrual) lines.push('', `failure accrual: ${fmtAccrual(detail.failureAccrual)}`);
  if (detail.configured && !detail.configured.known) lines.push('', `configured policy not known: ${detail.configured.reason ?? 'no reason given'}`);
  return lines.join('\n');
}
