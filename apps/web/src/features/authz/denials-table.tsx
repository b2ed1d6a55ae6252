import type { AuthzDenial } from '@meshviz/mesh-types';
import table from '../../components/data-table/table.module.css';
import page from '../../components/layout/page.module.css';
import { IdentityName } from '../../components/security/identity-name';
import { formatRps } from '../../lib/format';
import { RowAttrs, TestIds } from '../../testids';
import styles from './authz.module.css';
import { deniedClient, NO_IDENTITY_TEXT, OTHER_CLIENTS_TEXT, routeLabel, serverLabel, sortDenials } from './authz-labels';

interface Props {
  denials: readonly AuthzDenial[];
  window: string;
  subject: string;
  stale?: boolean;
}

/** Who was refused: each client identity with the server and route that refused it, busiest first. */
export function DenialsTable({ denials, window, subject, stale = false }: Props) {
  if (denials.length === 0) {
    return (
      <p className={`${page.card} ${page.empty} ${page.muted}`} data-testid={TestIds.authzDenialsEmpty}>
        The proxies of {subject} refused no request in the last {window}.
      </p>
    );
  }
  return (
    <div className={page.card}>
      <table className={table.table} data-testid={TestIds.authzDenials} aria-busy={stale || undefined} data-stale={stale || undefined}>
        <caption className="visually-hidden">
          Requests to {subject} refused by policy, by client identity, over the last {window}
        </caption>
        <thead>
          <tr>
            <th scope="col">Client identity</th>
            <th scope="col">Server</th>
            <th scope="col">Route</th>
            <th scope="col" className={table.num} title="Requests per second refused">
              Denied RPS
            </th>
          </tr>
        </thead>
        <tbody>
          {sortDenials(denials).map((denial) => {
            const server = serverLabel(denial.server);
            const route = routeLabel(denial.route);
            return (
              <tr
                key={`${denial.clientId}\u0000${server}\u0000${denial.server.port}\u0000${route}`}
                data-testid={TestIds.authzDenialRow}
                {...{
                  [RowAttrs.clientId]: denial.clientId,
                  [RowAttrs.server]: server,
                  [RowAttrs.route]: route,
                  [RowAttrs.deniedRps]: String(denial.deniedRps),
                }}
              >
                <th scope="row" className={table.wrap}>
                  <ClientCell clientId={denial.clientId} />
                </th>
                <td title={`port ${denial.server.port}`}>
                  {server} <span className={table.muted}>:{denial.server.port}</span>
                </td>
                <td>{route}</td>
                <td className={`${table.num} ${denial.deniedRps > 0 ? styles.refused : ''}`}>{formatRps(denial.deniedRps)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function ClientCell({ clientId }: { clientId: string }) {
  const client = deniedClient(clientId);
  if (client.kind === 'identity') return <IdentityName id={client.id} />;
  return <span className={table.muted}>{client.kind === 'no-identity' ? NO_IDENTITY_TEXT : OTHER_CLIENTS_TEXT}</span>;
}
