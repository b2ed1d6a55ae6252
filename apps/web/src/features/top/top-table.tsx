import type { TopRow } from '@meshviz/mesh-types';
import table from '../../components/data-table/table.module.css';
import page from '../../components/layout/page.module.css';
import { LEVEL_CLASS } from '../../components/metrics/golden-cells';
import { MetricValue } from '../../components/metrics/metric-value';
import { formatCount, formatLatencyMs, formatSuccessRate, successLevel } from '../../lib/format';
import { RowAttrs, TestIds } from '../../testids';
import styles from './top.module.css';
import { sortTopRows, type TopSort, type TopSortKey } from './top-sort';

interface Props {
  rows: readonly TopRow[];
  sort: TopSort;
  /** Makes the column heads sort buttons. */
  onSort?: (key: TopSortKey) => void;
  caption: string;
  /** Show at most this many rows (after sorting). */
  limit?: number;
}

const COLUMNS: { key: TopSortKey; label: string; numeric: boolean; title?: string }[] = [
  { key: 'source', label: 'Source', numeric: false },
  { key: 'destination', label: 'Destination', numeric: false },
  { key: 'method', label: 'Method', numeric: false },
  { key: 'path', label: 'Path', numeric: false },
  { key: 'count', label: 'Count', numeric: true, title: 'Requests finished since Start' },
  { key: 'success', label: 'Success', numeric: true, title: 'Share of finished requests that did not fail (5xx, failing gRPC status, reset)' },
  { key: 'best', label: 'Best', numeric: true, title: 'Fastest latency seen' },
  { key: 'worst', label: 'Worst', numeric: true, title: 'Slowest latency seen' },
  { key: 'last', label: 'Last', numeric: true, title: 'Latency of the latest request' },
];

/** Requests since Start grouped by source, destination, method and path, with their count, success and latencies. */
export function TopTable({ rows, sort, onSort, caption, limit }: Props) {
  const sorted = sortTopRows(rows, sort);
  const shown = limit === undefined ? sorted : sorted.slice(0, limit);
  return (
    <div className={page.card}>
      <table className={table.table} data-testid={TestIds.topTable}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {COLUMNS.map((column) => {
              const active = sort.key === column.key;
              return (
                <th
                  key={column.key}
                  scope="col"
                  className={column.numeric ? table.num : undefined}
                  title={column.title}
                  aria-sort={active ? (sort.order === 'asc' ? 'ascending' : 'descending') : undefined}
                >
                  {onSort ? (
                    <button
                      type="button"
                      className={styles.sortButton}
                      onClick={() => onSort(column.key)}
                      data-testid={TestIds.topSort}
                      {...{ [RowAttrs.sortKey]: column.key }}
                    >
                      {column.label}
                      <span className={styles.sortMark} aria-hidden="true">
                        {active ? (sort.order === 'asc' ? '▲' : '▼') : ''}
                      </span>
                    </button>
                  ) : (
                    column.label
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {shown.map((row) => (
            <tr
              key={`${row.source}\u0000${row.destination}\u0000${row.method}\u0000${row.path}`}
              data-testid={TestIds.topRow}
              {...{ [RowAttrs.source]: row.source, [RowAttrs.destination]: row.destination, [RowAttrs.requests]: row.count }}
            >
              <td className={styles.peer}>{row.source}</td>
              <td className={styles.peer}>{row.destination}</td>
              <td className={table.name}>{row.method}</td>
              <td className={`${table.mono} ${styles.path}`} title={row.path}>
                {row.path}
              </td>
              <td className={table.num}>{formatCount(row.count)}</td>
              <td className={`${table.num} ${LEVEL_CLASS[successLevel(row.successRate)]}`}>
                <MetricValue value={row.successRate} format={formatSuccessRate} />
              </td>
              <td className={table.num}>
                <MetricValue value={row.bestMs} format={formatLatencyMs} />
              </td>
              <td className={table.num}>
                <MetricValue value={row.worstMs} format={formatLatencyMs} />
              </td>
              <td className={table.num}>
                <MetricValue value={row.lastMs} format={formatLatencyMs} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
