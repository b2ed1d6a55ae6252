import Link from 'next/link';
import page from '../../components/layout/page.module.css';
import { workloadHref } from '../../lib/links';
import { TestIds } from '../../testids';

/** No route rows: route metrics come from the proxy's route table, which may not exist (yet) for this workload. */
interface Props {
  namespace: string;
  workload: string;
  window: string;
  query: string;
  /** Point to the workload's detail page (not on the detail page itself). */
  linkDetail?: boolean;
}

export function RoutesEmpty({ namespace, workload, window, query, linkDetail = true }: Props) {
  return (
    <div className={`${page.card} ${page.empty}`} data-testid={TestIds.routesEmpty}>
      <h3>
        No route metrics for {namespace}/{workload} in the last {window}
      </h3>
      <p>
        Per-route numbers come from the proxy’s <code>route_*</code> metrics, which it emits for workloads that have a route
        table and receive traffic.
      </p>
      <ul>
        <li>Give the workload routes in its mesh file, then send it some requests.</li>
        <li>Try a longer window in the header.</li>
        {linkDetail ? (
          <li>
            The workload’s overall numbers are on its <Link href={workloadHref(namespace, workload, query)}>detail page</Link>.
          </li>
        ) : null}
      </ul>
    </div>
  );
}
