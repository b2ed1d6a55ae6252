import page from '../../components/layout/page.module.css';
import { ALL_NAMESPACES } from '../../lib/namespaces';
import { TestIds } from '../../testids';

/** No rows: say why that can be and what to do about it. */
export function WorkloadsEmpty({ namespace }: { namespace: string }) {
  const where = namespace === ALL_NAMESPACES ? 'in any namespace' : `in namespace “${namespace}”`;
  return (
    <div className={`${page.card} ${page.empty}`} data-testid={TestIds.workloadsEmpty}>
      <h2>No meshed workloads {where}</h2>
      <p>meshviz shows deployments whose pods run the meshviz proxy and are scraped by Prometheus.</p>
      <ul>
        <li>
          Trying it out? Start the demo mesh with <code>npm run demo</code> (<code>meshviz up --demo</code>).
        </li>
        <li>Just started? The first numbers appear after Prometheus scrapes the proxies, within about 15 seconds.</li>
        {namespace !== ALL_NAMESPACES ? <li>Choose “All namespaces” above to see every namespace.</li> : null}
      </ul>
    </div>
  );
}
