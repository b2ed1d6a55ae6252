import page from '../../components/layout/page.module.css';
import { ALL_NAMESPACES } from '../../lib/namespaces';
import { TestIds } from '../../testids';
import styles from './topology.module.css';

/** Over the (empty) graph: no workload seen in the window, and what to do about it. */
export function TopologyEmpty({ namespace, window }: { namespace: string; window: string }) {
  const where = namespace === ALL_NAMESPACES ? '' : ` in namespace “${namespace}”`;
  return (
    <div className={`${page.card} ${page.empty} ${styles.emptyOverlay}`} data-testid={TestIds.topologyEmpty}>
      <h2>
        No traffic in the last {window}
        {where}
      </h2>
      <p>The graph shows meshed workloads and the calls between them that Prometheus saw in the window.</p>
      <ul>
        <li>Is anything calling these workloads? Start the demo mesh with <code>npm run demo</code>, or send requests.</li>
        <li>Are the pods meshed? Workloads without the meshviz proxy are not measured: see the Check page.</li>
        <li>Try a longer window in the header, or “All namespaces”.</li>
      </ul>
    </div>
  );
}
