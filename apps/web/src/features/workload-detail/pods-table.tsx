import type { StatsRow, WorkloadDetailResponse } from '@meshviz/mesh-types';
import table from '../../components/data-table/table.module.css';
import page from '../../components/layout/page.module.css';
import { GoldenCells, GoldenHeaders } from '../../components/metrics/golden-cells';
import { IdentityName } from '../../components/security/identity-name';
import { RowAttrs, TestIds } from '../../testids';

type Certificate = NonNullable<WorkloadDetailResponse['certificates']>[number];

/** "in 23 h" / "in 14 min" / "expired": how long a proxy's certificate has left (renewed at 70 % of its life). */
function expiresIn(iso: string, now: number): string {
  const ms = Date.parse(iso) - now;
  if (ms <= 0) return 'expired';
  return ms >= 2 * 3_600_000 ? `in ${Math.floor(ms / 3_600_000)} h` : `in ${Math.max(1, Math.floor(ms / 60_000))} min`;
}

/**
 * The workload's pods, each with its own golden metrics (a slow or failing replica stands out here), and the mTLS
 * identity its proxy holds with its certificate's expiry.
 */
export function PodsTable({
  rows,
  certificates = [],
  window,
  subject,
}: {
  rows: readonly StatsRow[];
  certificates?: readonly Certificate[];
  window: string;
  subject: string;
}) {
  const certs = new Map(certificates.map((c) => [c.pod, c]));
  const withIdentity = certificates.length > 0;
  // Restarts are known where the runtime counts them (the local runtime): shown then, like kubectl's RESTARTS.
  const withRestarts = rows.some((r) => r.restarts !== undefined);
  const now = Date.now();
  if (rows.length === 0) {
    return (
      <p className={`${page.card} ${page.empty} ${page.muted}`}>
        No meshed pod of {subject} reports to Prometheus: it is not meshed, or not running.
      </p>
    );
  }
  return (
    <div className={page.card}>
      <table className={table.table} data-testid={TestIds.podsTable}>
        <caption className="visually-hidden">
          Pods of {subject} with their golden metrics over the last {window}
        </caption>
        <thead>
          <tr>
            <th scope="col">Pod</th>
            <GoldenHeaders />
            {withRestarts ? <th scope="col">Restarts</th> : null}
            {withIdentity ? (
              <>
                <th scope="col">Identity</th>
                <th scope="col">Certificate expires</th>
              </>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {[...rows]
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((row) => (
              <tr key={row.name} data-testid={TestIds.podRow} {...{ [RowAttrs.name]: row.name, [RowAttrs.rps]: row.rps === null ? '' : String(row.rps) }}>
                <th scope="row" className={table.name}>
                  {row.name}
                </th>
                <GoldenCells metrics={row} window={window} />
                {withRestarts ? <td className={table.num}>{row.restarts ?? '—'}</td> : null}
                {withIdentity ? <CertificateCells cert={certs.get(row.name)} now={now} /> : null}
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  );
}

function CertificateCells({ cert, now }: { cert: Certificate | undefined; now: number }) {
  if (!cert) {
    return (
      <>
        <td>—</td>
        <td>—</td>
      </>
    );
  }
  return (
    <>
      <td data-testid={TestIds.podIdentity}>
        <IdentityName id={cert.identity} />
      </td>
      <td title={cert.expiresAt}>{expiresIn(cert.expiresAt, now)}</td>
    </>
  );
}
