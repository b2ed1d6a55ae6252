import type { CheckTarget } from '@meshviz/mesh-types';
import table from '../../components/data-table/table.module.css';
import page from '../../components/layout/page.module.css';
import { formatAgeSeconds } from '../../lib/format';
import { RowAttrs, TestIds } from '../../testids';
import styles from './check.module.css';

const HEALTH_CLASS = { up: table.good, down: table.bad, unknown: table.warn } as const;

/** Every proxy Prometheus scrapes: where, whether the last scrape worked, how long ago, and its error. */
export function TargetsTable({ targets }: { targets: readonly CheckTarget[] }) {
  if (targets.length === 0) {
    return <p className={`${page.card} ${page.empty} ${page.muted}`}>Prometheus has no scrape targets: no proxy is being scraped.</p>;
  }
  const sorted = [...targets].sort(
    (a, b) => a.namespace.localeCompare(b.namespace) || a.deployment.localeCompare(b.deployment) || a.pod.localeCompare(b.pod),
  );
  return (
    <div className={page.card}>
      <table className={table.table} data-testid={TestIds.targetsTable}>
        <caption className="visually-hidden">Scrape targets</caption>
        <thead>
          <tr>
            <th scope="col">Namespace</th>
            <th scope="col">Workload</th>
            <th scope="col">Pod</th>
            <th scope="col">Health</th>
            <th scope="col" className={table.num}>
              Last scrape
            </th>
            <th scope="col">Scrape URL</th>
            <th scope="col">Last error</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((target) => (
            <tr key={target.scrapeUrl} data-testid={TestIds.targetRow} {...{ [RowAttrs.name]: target.pod, [RowAttrs.status]: target.health }}>
              <td className={table.muted}>{target.namespace}</td>
              <td>{target.deployment}</td>
              <th scope="row" className={table.name}>
                {target.pod}
              </th>
              <td className={HEALTH_CLASS[target.health]}>{target.health}</td>
              <td className={table.num}>{target.lastScrapeAgeSeconds === null ? '—' : `${formatAgeSeconds(target.lastScrapeAgeSeconds)} ago`}</td>
              <td className={table.mono}>{target.scrapeUrl}</td>
              <td className={`${table.wrap} ${styles.error}`}>{target.lastError || <span className={table.muted}>none</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
