import type { AuthzRow } from '@meshviz/mesh-types';
import table from '../../components/data-table/table.module.css';
import page from '../../components/layout/page.module.css';
import { LEVEL_CLASS } from '../../components/metrics/golden-cells';
import { MetricValue } from '../../components/metrics/metric-value';
import { DeniedBadge, NoEntryIcon } from '../../components/security/denied-badge';
import { formatLatencyMs, formatRps, formatRpsWithUnit, formatSuccessRate, successLevel } from '../../lib/format';
import { RowAttrs, TestIds } from '../../testids';
import styles from './authz.module.css';
import { authorizationLabel, routeLabel, serverLabel, sortAuthzRows } from './authz-labels';

interface Props {
  rows: readonly AuthzRow[];
  window: string;
  /** Whose proxies decided ("billing/payments"), for the caption. */
  subject: string;
  stale?: boolean;
}

/**
 * One row per server × route × authorization that let requests in, and one per server × route for what nothing
 * let in (Authorization "—"). Unauthorized is the rate refused; RPS, success and latency are of the requests let in.
 */
export function AuthzTable({ rows, window, subject, stale = false }: Props) {
  return (
    <div className={page.card}>
      <table className={table.table} data-testid={TestIds.authzTable} aria-busy={stale || undefined} data-stale={stale || undefined}>
        <caption className="visually-hidden">
          Authorization decisions of the proxies of {subject} over the last {window}
        </caption>
        <thead>
          <tr>
            <th scope="col">Route</th>
            <th scope="col">Server</th>
            <th scope="col">Authorization</th>
            <th scope="col" className={table.num} title="Requests per second that no authorization allowed (refused)">
              Unauthorized
            </th>
            <th scope="col" className={table.num} title="Of the requests let in">
              Success
            </th>
            <th scope="col" className={table.num} title="Requests per second let in">
              RPS
            </th>
            <th scope="col" className={table.num}>
              P50
            </th>
            <th scope="col" className={table.num}>
              P95
            </th>
            <th scope="col" className={table.num}>
              P99
            </th>
          </tr>
        </thead>
        <tbody>
          {sortAuthzRows(rows).map((row) => (
            <AuthzTableRow key={rowKey(row)} row={row} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function rowKey(row: AuthzRow): string {
  return [row.server.kind, row.server.name, row.server.port, row.route.kind, row.route.name, row.authorization?.kind ?? '', row.authorization?.name ?? ''].join('\u0000');
}

function AuthzTableRow({ row }: { row: AuthzRow }) {
  const server = serverLabel(row.server);
  const route = routeLabel(row.route);
  const authorization = row.authorization === null ? '' : authorizationLabel(row.authorization);
  const refused = row.deniedRps > 0;
  return (
    <tr
      data-testid={TestIds.authzRow}
      className={refused ? styles.refusedRow : undefined}
      {...{
        [RowAttrs.route]: route,
        [RowAttrs.server]: server,
        [RowAttrs.authorization]: authorization,
        [RowAttrs.deniedRps]: String(row.deniedRps),
        [RowAttrs.rps]: String(row.allowedRps),
      }}
    >
      <th scope="row" className={table.name}>
        {route}
      </th>
      <td className={table.wrap} title={`port ${row.server.port}`}>
        {server} <span className={table.muted}>:{row.server.port}</span>
      </td>
      <td className={table.wrap}>
        {row.authorization === null ? (
          <span className={table.muted} title="No authorization allowed these requests">
            —
          </span>
        ) : (
          authorization
        )}
        {row.auditedRps > 0 ? (
          <>
            {' '}
            <DeniedBadge tone="audit" title={`${formatRpsWithUnit(row.auditedRps)} let in by audit that a deny policy would have refused`}>
              audit: would deny {formatRpsWithUnit(row.auditedRps)}
            </DeniedBadge>
          </>
        ) : null}
      </td>
      <td className={`${table.num} ${refused ? styles.refused : table.muted}`} data-testid={TestIds.authzUnauthorized}>
        {refused ? (
          <>
            <NoEntryIcon />
            <span className="visually-hidden">refused: </span>
          </>
        ) : null}
        {formatRps(row.deniedRps)}
      </td>
      <td className={`${table.num} ${LEVEL_CLASS[successLevel(row.successRate)]}`}>
        <MetricValue value={row.successRate} format={formatSuccessRate} />
      </td>
      <td className={table.num}>{formatRps(row.allowedRps)}</td>
      <td className={table.num}>
        <MetricValue value={row.latency.p50} format={formatLatencyMs} />
      </td>
      <td className={table.num}>
        <MetricValue value={row.latency.p95} format={formatLatencyMs} />
      </td>
      <td className={table.num}>
        <MetricValue value={row.latency.p99} format={formatLatencyMs} />
      </td>
    </tr>
  );
}
