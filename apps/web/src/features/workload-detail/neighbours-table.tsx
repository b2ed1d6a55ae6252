import type { NeighbourStats } from '@meshviz/mesh-types';
import table from '../../components/data-table/table.module.css';
import page from '../../components/layout/page.module.css';
import { GoldenCells, GoldenHeaders } from '../../components/metrics/golden-cells';
import { NoData } from '../../components/metrics/metric-value';
import { IdentityPair } from '../../components/security/identity-name';
import { SecuredBadge } from '../../components/security/secured-badge';
import { RowAttrs, TestIds } from '../../testids';
import type { GraphData } from '../topology/elements';
import { NeighbourName } from './neighbour-name';

interface Props {
  direction: 'upstream' | 'downstream';
  rows: readonly NeighbourStats[];
  graph: GraphData;
  window: string;
  query: string;
  /** Whose neighbours ("bookshop/web"), for the caption and the empty state. */
  subject: string;
}

const TEXT = {
  upstream: { head: 'Caller', caption: 'Who calls', empty: 'Nothing called' },
  downstream: { head: 'Callee', caption: 'What is called by', empty: 'Called nothing' },
} as const;

/** Callers or callees with the traffic between them, whether it was secured (and why not), and the identities. */
export function NeighboursTable({ direction, rows, graph, window, query, subject }: Props) {
  const text = TEXT[direction];
  const testId = direction === 'upstream' ? TestIds.upstreamsTable : TestIds.downstreamsTable;
  if (rows.length === 0) {
    return (
      <p className={`${page.card} ${page.empty} ${page.muted}`} data-testid={TestIds.neighboursEmpty} data-direction={direction}>
        {direction === 'upstream' ? `Nothing called ${subject}` : `${subject} called nothing`} in the last {window}.
      </p>
    );
  }
  const sorted = [...rows].sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  return (
    <div className={page.card}>
      <table className={table.table} data-testid={testId}>
        <caption className="visually-hidden">
          {text.caption} {subject}, over the last {window}
        </caption>
        <thead>
          <tr>
            <th scope="col">{text.head}</th>
            <GoldenHeaders />
            <th scope="col">Security</th>
            <th scope="col">Identities (client → server)</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((row) => (
            <tr
              key={row.id}
              data-testid={TestIds.neighbourRow}
              {...{
                [RowAttrs.direction]: direction,
                [RowAttrs.namespace]: row.namespace,
                [RowAttrs.name]: row.name,
                [RowAttrs.secured]: String(row.secured),
                [RowAttrs.rps]: row.rps === null ? '' : String(row.rps),
              }}
            >
              <th scope="row">
                <NeighbourName neighbour={row} graph={graph} query={query} />
              </th>
              <GoldenCells metrics={row} window={window} />
              <td className={table.wrap}>
                <SecuredBadge secured={row.secured} reason={row.insecureReason} share={row.mtlsShare} />
              </td>
              <td className={`${table.wrap} ${table.mono}`}>
                {row.clientId === null && row.serverId === null ? (
                  <NoData />
                ) : (
                  <IdentityPair client={row.clientId} server={row.serverId} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
