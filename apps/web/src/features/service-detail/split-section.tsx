import type { ConfiguredSource, SplitBackend } from '@meshviz/mesh-types';
import Link from 'next/link';
import table from '../../components/data-table/table.module.css';
import page from '../../components/layout/page.module.css';
import { LEVEL_CLASS } from '../../components/metrics/golden-cells';
import { MetricValue, NoTraffic } from '../../components/metrics/metric-value';
import { formatPercentTick, formatRps, formatSuccessRate, successLevel } from '../../lib/format';
import { serviceHref } from '../../lib/links';
import { RowAttrs, TestIds } from '../../testids';
import styles from './service-detail.module.css';

interface Props {
  rows: readonly SplitBackend[];
  namespace: string;
  name: string;
  window: string;
  query: string;
  configured: ConfiguredSource | undefined;
}

/** Whether any route sends requests elsewhere than the service itself: a split worth drawing. */
export function isSplit(rows: readonly SplitBackend[], namespace: string, name: string): boolean {
  return rows.some((r) => r.backend.namespace !== namespace || r.backend.name !== name);
}

/** The rows grouped by route, in the API's order. */
function byRoute(rows: readonly SplitBackend[]): { key: string; route: SplitBackend['route']; rows: SplitBackend[] }[] {
  const groups = new Map<string, { key: string; route: SplitBackend['route']; rows: SplitBackend[] }>();
  for (const r of rows) {
    const key = `${r.route.kind}/${r.route.name}`;
    const g = groups.get(key) ?? { key, route: r.route, rows: [] };
    g.rows.push(r);
    groups.set(key, g);
  }
  return [...groups.values()];
}

/** A share 0..1 as a bar; null draws an empty track (nothing known), never a zero-length bar that claims 0 %. */
function ShareBar({ share, kind, label }: { share: number | null; kind: 'configured' | 'measured'; label: string }) {
  return (
    <span className={styles.barTrack} role="img" aria-label={label} title={label}>
      {share === null ? null : <span className={`${styles.bar} ${styles[kind]}`} style={{ width: `${Math.min(100, share * 100)}%` }} />}
    </span>
  );
}

/**
 * The traffic split: per route, each backend's configured weight (and its share of the route's weights) beside the
 * share of the route's requests it measurably took, as bars, with the backend's own rate and success rate.
 */
export function SplitSection({ rows, namespace, name, window, query, configured }: Props) {
  const subject = `${namespace}/${name}`;
  if (!isSplit(rows, namespace, name)) {
    return (
      <p className={`${page.card} ${page.empty} ${page.muted}`} data-testid={TestIds.splitEmpty}>
        No traffic split: every route of {subject} sends its requests to {name} itself.
      </p>
    );
  }
  return (
    <div className={page.card} data-testid={TestIds.serviceSplit}>
      {configured && !configured.known ? (
        <p className={styles.unknown} data-testid={TestIds.configuredUnknown}>
          Configured weights are not shown: {configured.reason}
        </p>
      ) : null}
      <div className={styles.legend} aria-hidden="true">
        <span>
          <span className={`${styles.swatch} ${styles.configured}`} /> configured weight
        </span>
        <span>
          <span className={`${styles.swatch} ${styles.measured}`} /> measured share of requests ({window})
        </span>
      </div>
      {byRoute(rows).map((group) => (
        <table
          key={group.key}
          className={`${table.table} ${styles.splitTable}`}
          data-testid={TestIds.splitRoute}
          {...{ [RowAttrs.route]: group.route.name }}
        >
          <caption className={styles.routeCaption}>
            {group.route.name} <span className={table.muted}>{group.route.kind}</span>
          </caption>
          {/* The same columns in every route's table, so the bars of all routes line up. */}
          <colgroup>
            <col className={styles.colBackend} />
            <col className={styles.colShare} />
            <col className={styles.colShare} />
            <col className={styles.colNum} />
            <col className={styles.colNum} />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">Backend</th>
              <th scope="col" title="The weight configured for this backend, and its share of the route's weights">
                Configured weight
              </th>
              <th scope="col" title="The share of the route's requests (attempts included) the backend took in the window">
                Measured share
              </th>
              <th scope="col" className={table.num} title="The backend's answers to this route's requests">
                Success rate
              </th>
              <th scope="col" className={table.num}>
                RPS
              </th>
            </tr>
          </thead>
          <tbody>
            {group.rows.map((r) => {
              const backend = `${r.backend.namespace}/${r.backend.name}`;
              const configuredText =
                r.configuredWeight === null ? 'not known' : `${r.configuredWeight} (${formatPercentTick(r.configuredShare ?? 0)})`;
              const measuredText = r.measuredShare === null ? 'no requests' : formatPercentTick(r.measuredShare);
              return (
                <tr
                  key={backend}
                  data-testid={TestIds.splitRow}
                  {...{
                    [RowAttrs.backend]: backend,
                    [RowAttrs.weight]: r.configuredWeight === null ? '' : String(r.configuredWeight),
                    [RowAttrs.configuredShare]: r.configuredShare === null ? '' : String(r.configuredShare),
                    [RowAttrs.measuredShare]: r.measuredShare === null ? '' : String(r.measuredShare),
                  }}
                >
                  <th scope="row">
                    <Link className={table.rowLink} href={serviceHref(r.backend.namespace, r.backend.name, query)}>
                      {r.backend.namespace === namespace ? r.backend.name : backend}
                    </Link>
                    {r.backend.namespace === namespace && r.backend.name === name ? <span className={styles.self}> (this service)</span> : null}
                  </th>
                  <td className={styles.shareCell}>
                    <ShareBar share={r.configuredShare} kind="configured" label={`configured weight ${configuredText}`} />
                    <span className={styles.shareText}>{configuredText}</span>
                  </td>
                  <td className={styles.shareCell}>
                    <ShareBar share={r.measuredShare} kind="measured" label={`measured share ${measuredText}`} />
                    <span className={styles.shareText}>{measuredText}</span>
                  </td>
                  <td className={`${table.num} ${LEVEL_CLASS[successLevel(r.successRate)]}`}>
                    <MetricValue value={r.successRate} format={formatSuccessRate} />
                  </td>
                  <td className={table.num}>{r.rps === null ? <NoTraffic window={window} /> : formatRps(r.rps)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ))}
    </div>
  );
}
