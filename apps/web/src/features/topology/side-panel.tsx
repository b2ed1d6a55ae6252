'use client';

import type { TopologyEdge, TopologyNode } from '@meshviz/mesh-types';
import Link from 'next/link';
import type { ReactNode } from 'react';
import sidePanel from '../../components/layout/side-panel.module.css';
import type { GoldenMetrics } from '../../components/metrics/golden-cells';
import { MetricValue, NoTraffic } from '../../components/metrics/metric-value';
import { NoEntryIcon } from '../../components/security/denied-badge';
import { IdentityName, IdentityPair } from '../../components/security/identity-name';
import { LockIcon, SecuredBadge } from '../../components/security/secured-badge';
import { formatLatencyMs, formatPercentTick, formatRpsWithUnit, formatSuccessRate } from '../../lib/format';
import { serviceHref, workloadHref } from '../../lib/links';
import type { ViewParams } from '../../lib/view-params';
import { TestIds } from '../../testids';
import { type GraphData, isDenied, isSplitEdge } from './elements';
import { HealthBadge } from './health-badge';
import { PanelSparklines } from './panel-sparklines';
import { type Selection, selectionWorkload } from './selection';
import styles from './topology.module.css';

interface Props {
  graph: GraphData;
  selection: Selection;
  view: ViewParams;
  window: string;
  query: string;
  onClose: () => void;
}

const KIND: Record<string, string> = { deployment: 'Workload', service: 'Service', unmeshed: 'Unmeshed clients' };

/** The selected node or edge: its numbers, the workload's sparklines and a link to its detail page. */
export function SidePanel({ graph, selection, view, window, query, onClose }: Props) {
  const workload = selectionWorkload(graph, selection);
  const title =
    selection.kind === 'node' ? selection.node.name : `${selection.source?.name ?? '?'} → ${selection.target?.name ?? '?'}`;
  const subtitle =
    selection.kind === 'node'
      ? `${KIND[selection.node.kind] ?? selection.node.kind} in ${selection.node.namespace}`
      : `Calls from ${selection.source?.namespace ?? '?'} to ${selection.target?.namespace ?? '?'}`;
  const metrics = selection.kind === 'node' ? selection.node : selection.edge;
  return (
    <aside className={`${sidePanel.panel} ${styles.panel}`} aria-labelledby="topology-panel-title" data-testid={TestIds.topologyPanel}>
      <div className={sidePanel.panelHead}>
        <div>
          <h2 id="topology-panel-title" className={sidePanel.panelTitle}>
            {title}
          </h2>
          <p className={sidePanel.panelNote}>{subtitle}</p>
        </div>
        <button type="button" className={sidePanel.close} onClick={onClose} aria-label="Close details">
          ×
        </button>
      </div>
      <HealthBadge health={selection.kind === 'node' ? selection.node.health : selection.edge.health} />
      {selection.kind === 'node' && selection.node.dead ? (
        <p className={styles.warning}>Called, but no meshed pod answers: is it deployed, and does it run the proxy?</p>
      ) : null}
      {selection.kind === 'node' && selection.node.kind === 'unmeshed' ? (
        <p className={sidePanel.panelNote}>Clients without a proxy: measured by the proxy of the workload they call.</p>
      ) : null}
      <PanelMetrics metrics={metrics} window={window} />
      {selection.kind === 'edge' && isDenied(selection.edge) ? (
        <RefusedByPolicy deniedRps={selection.edge.deniedRps} clientId={selection.edge.clientId ?? selection.source?.identity} source={selection.source} />
      ) : null}
      {selection.kind === 'edge' && isSplitEdge(selection.edge) ? (
        <SplitShare edge={selection.edge} source={selection.source} target={selection.target} window={window} />
      ) : null}
      {selection.kind === 'edge' && !(isSplitEdge(selection.edge) && selection.target?.kind === 'service') ? (
        <div className={styles.security}>
          <SecuredBadge secured={selection.edge.secured} reason={selection.edge.insecureReason} share={selection.edge.mtlsShare} />
          {selection.edge.secured && (selection.edge.clientId || selection.edge.serverId) ? (
            <p className={sidePanel.panelNote} data-testid={TestIds.topologyPanelIdentities}>
              <IdentityPair client={selection.edge.clientId} server={selection.edge.serverId} />
            </p>
          ) : null}
        </div>
      ) : null}
      {selection.kind === 'node' && selection.node.identity ? (
        <p className={sidePanel.panelNote} data-testid={TestIds.topologyPanelIdentities}>
          <LockIcon /> identity <IdentityName id={selection.node.identity} />
        </p>
      ) : null}
      {workload ? <PanelSparklines workload={workload} view={view} /> : null}
      {selection.kind === 'node' && selection.node.kind === 'service' ? (
        <Link
          className={styles.panelLink}
          href={serviceHref(selection.node.namespace, selection.node.name, query)}
          data-testid={TestIds.topologyPanelServiceLink}
        >
          Open service {selection.node.namespace}/{selection.node.name} →
        </Link>
      ) : null}
      {workload ? (
        <Link className={styles.panelLink} href={workloadHref(workload.namespace, workload.name, query)} data-testid={TestIds.topologyPanelLink}>
          Open {workload.namespace}/{workload.name} →
        </Link>
      ) : null}
    </aside>
  );
}

function PanelMetrics({ metrics, window }: { metrics: GoldenMetrics; window: string }) {
  const rows: [string, ReactNode][] = [
    ['RPS', metrics.rps === null ? <NoTraffic key="r" window={window} /> : formatRpsWithUnit(metrics.rps)],
    ['Success rate', <MetricValue key="s" value={metrics.successRate} format={formatSuccessRate} />],
    ['P50', <MetricValue key="50" value={metrics.latencyMs.p50} format={formatLatencyMs} />],
    ['P95', <MetricValue key="95" value={metrics.latencyMs.p95} format={formatLatencyMs} />],
    ['P99', <MetricValue key="99" value={metrics.latencyMs.p99} format={formatLatencyMs} />],
  ];
  return (
    <dl className={styles.metrics}>
      {rows.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * What the server's proxies refused of this edge's client: the rate and the identity it was refused for (the edge's
 * client identity, else the client workload's own), or the client's name when it had none.
 */
function RefusedByPolicy({ deniedRps, clientId, source }: { deniedRps: number; clientId: string | undefined; source: TopologyNode | undefined }) {
  return (
    <div className={styles.denied} data-testid={TestIds.topologyPanelDenied}>
      <p className={styles.deniedText}>
        <NoEntryIcon /> Refused by policy: {formatRpsWithUnit(deniedRps)} from{' '}
        {clientId ? <IdentityName id={clientId} /> : `${source ? `${source.namespace}/${source.name}` : 'its client'} (no mTLS identity)`}
      </p>
      <p className={sidePanel.panelNote}>
        No authorization of the server allowed these requests; they were answered 403 (gRPC: PERMISSION_DENIED), which the success rate counts as
        successes. The server’s workload page lists them under Authorization.
      </p>
    </div>
  );
}

/** A split service's edge to a backend: the share of its routed requests the backend took, beside its configured weight. */
function SplitShare({
  edge,
  source,
  target,
  window,
}: {
  edge: TopologyEdge;
  source: TopologyNode | undefined;
  target: TopologyNode | undefined;
  window: string;
}) {
  const parent = source ? `${source.namespace}/${source.name}` : 'the service';
  const backend = target?.kind === 'service' ? `${target.namespace}/${target.name}` : `${parent} itself (its own workloads)`;
  return (
    <div className={styles.split} data-testid={TestIds.topologyPanelSplit}>
      <p>
        Traffic split of {parent}: {edge.share === null || edge.share === undefined ? 'no requests' : formatPercentTick(edge.share)} of its
        routed requests went to {backend} in the last {window}
        {edge.weight === null || edge.weight === undefined
          ? '; the configured weight is not known.'
          : `; configured weight ${edge.weight}${edge.configuredShare === null || edge.configuredShare === undefined ? '' : ` (${formatPercentTick(edge.configuredShare)})`}.`}
      </p>
      {target?.kind === 'service' ? (
        <p className={sidePanel.panelNote}>
          The numbers above are the requests (retries included) the callers' proxies sent this backend and how its answers went; they
          carry no latency of their own.
        </p>
      ) : null}
    </div>
  );
}
