'use client';

import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo } from 'react';
import { QueryErrorBanner } from '../../components/api-error-banner/query-error-banner';
import page from '../../components/layout/page.module.css';
import { PageHeader } from '../../components/layout/page-header';
import { UpdatedAt } from '../../components/layout/updated-at';
import { NamespaceSelect } from '../../components/namespace-select/namespace-select';
import { BlockSkeleton } from '../../components/skeleton/table-skeleton';
import { refreshText } from '../../lib/refresh-text';
import { useNamespaceParam } from '../../lib/use-namespace-param';
import { useUrlText, useViewParams } from '../../lib/use-view-params';
import { TestIds } from '../../testids';
import { useNamespaceOptions } from '../stats/use-namespace-options';
import { GraphFilters } from './graph-filters';
import { LazyTopologyGraph } from './graph-loader';
import { findMatches } from './name-filter';
import { topologyQuery } from './queries';
import { resolveSelection } from './selection';
import { SidePanel } from './side-panel';
import styles from './topology.module.css';
import { TopologyEmpty } from './topology-empty';
import { TopologyLegend } from './topology-legend';

/** /topology: who calls whom, coloured by health, with find, hide and a details panel; all state in the URL. */
export function TopologyPage() {
  const { view, params, setParams } = useViewParams();
  const [namespace, setNamespace] = useNamespaceParam();
  const topology = useQuery(topologyQuery(namespace, view));
  const options = useNamespaceOptions(view, namespace);
  const [find, setFind] = useUrlText('find');
  const [hide, setHide] = useUrlText('hide');
  const selectedId = params.get('selected');
  const select = useCallback((id: string | null) => setParams({ selected: id }, { replace: true }), [setParams]);
  const graph = topology.data;
  const selection = resolveSelection(graph, selectedId);
  const matches = useMemo(() => (graph ? findMatches(graph.nodes, find, hide) : []), [graph, find, hide]);
  const empty = graph !== undefined && !graph.nodes.some((node) => node.kind !== 'namespace');
  const window = graph?.window ?? view.window;

  return (
    <section className={page.page} aria-labelledby="topology-title">
      <PageHeader
        title="Topology"
        titleId="topology-title"
        subtitle={
          <>
            Who calls whom · golden metrics over the last {window} · {refreshText(view)}
          </>
        }
      >
        <NamespaceSelect value={namespace} options={options} onChange={setNamespace} />
      </PageHeader>
      <QueryErrorBanner queries={[topology]} />
      <GraphFilters find={find} hide={hide} onFind={setFind} onHide={setHide} matches={matches} onSelect={select} />
      <div className={styles.layout}>
        <div className={`${page.card} ${styles.graphArea}`}>
          {graph === undefined ? (
            topology.isPending ? <BlockSkeleton label="Loading topology…" height="100%" /> : null
          ) : (
            <LazyTopologyGraph
              graph={graph}
              selectedId={selection ? selectedId : null}
              onSelect={select}
              find={find}
              hide={hide}
              label={`Topology graph of ${namespace === 'all' ? 'all namespaces' : `namespace ${namespace}`}: ${graph.nodes.length} nodes, ${graph.edges.length} edges. Use Find to select a node with the keyboard.`}
              testId={TestIds.topologyGraph}
            />
          )}
          {empty ? <TopologyEmpty namespace={namespace} window={window} /> : null}
        </div>
        {selection && graph ? (
          <SidePanel graph={graph} selection={selection} view={view} window={window} query={params.toString()} onClose={() => select(null)} />
        ) : null}
      </div>
      {graph ? <TopologyLegend thresholds={graph.thresholds} window={window} /> : null}
      {graph && !topology.isPlaceholderData ? <UpdatedAt at={topology.dataUpdatedAt} fetching={topology.isFetching} /> : null}
    </section>
  );
}
