import type { BackendEndpoints, ConfiguredSource, FailureAccrual } from '@meshviz/mesh-types';
import table from '../../components/data-table/table.module.css';
import page from '../../components/layout/page.module.css';
import { MetricValue } from '../../components/metrics/metric-value';
import { formatCount } from '../../lib/format';
import { formatAccrual } from '../../lib/outbound-format';
import { RowAttrs, TestIds } from '../../testids';
import styles from './service-detail.module.css';

interface Props {
  rows: readonly BackendEndpoints[];
  namespace: string;
  window: string;
  failureAccrual: FailureAccrual | null | undefined;
  configured: ConfiguredSource | undefined;
}

/** Trips are extrapolated over the window (as increase() does): whole numbers read as such, others to one decimal. */
const formatTrips = (n: number) => (Math.abs(n - Math.round(n)) < 0.05 ? formatCount(n) : n.toFixed(1));

/**
 * Each backend's endpoints as the callers' balancers hold them: ready, and pending (not ready yet, or tripped by the
 * breaker), and the endpoints whose breaker tripped in the window, by pod; with the configured failure accrual.
 */
export function EndpointsTable({ rows, namespace, window, failureAccrual, configured }: Props) {
  return (
    <div className={page.card}>
      <p className={styles.unknown} data-testid={TestIds.serviceAccrual}>
        Circuit breaking:{' '}
        {failureAccrual ? formatAccrual(failureAccrual) : <span className={page.muted}>not known ({configured?.reason ?? 'no configuration'})</span>}
      </p>
      {rows.length === 0 ? (
        <p className={`${page.empty} ${page.muted}`}>No calling proxy reported this service's endpoints in the last {window}.</p>
      ) : (
        <table className={table.table} data-testid={TestIds.serviceEndpoints}>
          <caption className="visually-hidden">Endpoints of each backend, as the callers' balancers hold them</caption>
          <thead>
            <tr>
              <th scope="col">Backend</th>
              <th scope="col" className={table.num} title="Endpoints ready, as the calling proxy with the fewest holds them">
                Ready
              </th>
              <th scope="col" className={table.num} title="Endpoints pending (not ready yet, or tripped by the breaker), as the calling proxy with the most holds them">
                Pending / tripped
              </th>
              <th scope="col" className={table.num} title="Calling proxies that report this backend">
                Callers
              </th>
              <th scope="col">Tripped in the last {window}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => {
              const backend = `${e.backend.namespace}/${e.backend.name}`;
              return (
                <tr
                  key={backend}
                  data-testid={TestIds.endpointRow}
                  {...{
                    [RowAttrs.backend]: backend,
                    [RowAttrs.ready]: e.ready === null ? '' : String(e.ready),
                    [RowAttrs.pending]: e.pending === null ? '' : String(e.pending),
                  }}
                >
                  <th scope="row">{e.backend.namespace === namespace ? e.backend.name : backend}</th>
                  <td className={`${table.num} ${e.ready === 0 ? table.bad : e.ready ? table.good : ''}`}>
                    <MetricValue value={e.ready} format={formatCount} />
                  </td>
                  <td className={`${table.num} ${e.pending ? table.warn : ''}`}>
                    <MetricValue value={e.pending} format={formatCount} />
                  </td>
                  <td className={table.num}>{e.proxies}</td>
                  <td className={table.wrap}>
                    {e.trips.length === 0 ? (
                      <span className={table.muted}>none</span>
                    ) : (
                      <ul className={styles.trips}>
                        {e.trips.map((t) => (
                          <li
                            key={t.endpoint}
                            data-testid={TestIds.endpointTrip}
                            {...{ [RowAttrs.pod]: t.pod ?? '', [RowAttrs.trips]: String(t.trips) }}
                            title={t.endpoint}
                          >
                            <span className={styles.tripped}>tripped</span> {t.pod ?? t.endpoint} ×{formatTrips(t.trips)}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
