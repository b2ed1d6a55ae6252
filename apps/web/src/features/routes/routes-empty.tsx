import Link from 'next/link';
import page from '../../components/layout/page.module.css';
import { subjectHref } from '../../lib/links';
import type { RoutesSubject } from '../../lib/view-params';
import { TestIds } from '../../testids';

/**
 * No route rows: route metrics come from the proxies' route tables, which may not exist (yet). A workload's come
 * from its own proxies; a service's from its meshed callers' proxies and those of the workloads behind it.
 */
interface Props {
  subject: RoutesSubject;
  window: string;
  query: string;
  /** Point to the workload's or service's own page (not on that page itself). */
  linkDetail?: boolean;
}

export function RoutesEmpty({ subject, window, query, linkDetail = true }: Props) {
  const { kind, namespace, name } = subject;
  const service = kind === 'service';
  return (
    <div className={`${page.card} ${page.empty}`} data-testid={TestIds.routesEmpty}>
      <h3>
        No route metrics for {kind} {namespace}/{name} in the last {window}
      </h3>
      <p>
        Per-route numbers come from the proxy’s <code>route_*</code> metrics, which it emits for workloads that have a route
        table and receive traffic
        {service ? ': for a service, the proxies of its meshed callers and of the workloads behind it.' : '.'}
      </p>
      <ul>
        <li>
          {service
            ? 'Give the workloads behind the service routes in their mesh file, then send the service some requests.'
            : 'Give the workload routes in its mesh file, then send it some requests.'}
        </li>
        <li>Try a longer window in the header.</li>
        {linkDetail ? (
          <li>
            The {kind}’s overall numbers are on its{' '}
            <Link href={subjectHref(subject, query)}>
              {service ? 'service page' : 'detail page'}
            </Link>
            .
          </li>
        ) : null}
      </ul>
    </div>
  );
}
