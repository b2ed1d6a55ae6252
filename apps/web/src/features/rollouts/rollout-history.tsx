import type { RolloutEvent, RolloutView } from '@meshviz/mesh-types';
import table from '../../components/data-table/table.module.css';
import { formatLatencyMs, formatRps, formatSuccessRate } from '../../lib/format';
import { TestIds } from '../../testids';
import styles from './rollouts.module.css';

const VERDICT_CLASS: Partial<Record<RolloutEvent['verdict'], string>> = {
  promoted: styles.good,
  advance: styles.good,
  'rolled-back': styles.bad,
  error: styles.bad,
  conflict: styles.warn,
  aborted: styles.warn,
  stopped: styles.warn,
};

/** Every decision of the rollout, the latest first: what it decided, the weights it left, the figures it read, why. */
export function RolloutHistory({ rollout }: { rollout: RolloutView }) {
  const events = [...rollout.events].reverse();
  const steps = rollout.plan?.steps.length ?? 0;
  return (
    <details className={styles.history} open>
      <summary>Decisions ({rollout.events.length})</summary>
      <table className={table.table}>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Decision</th>
            <th scope="col" className={table.num}>
              Step
            </th>
            <th scope="col" className={table.num}>
              Canary
            </th>
            <th scope="col" className={table.num} title="The canary's requests per second when the decision was made">
              RPS
            </th>
            <th scope="col" className={table.num}>
              Success
            </th>
            <th scope="col" className={table.num}>
              P99
            </th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={`${e.time}/${e.verdict}/${e.weights.canary}`} data-testid={TestIds.rolloutEvent} data-verdict={e.verdict}>
              <td className={styles.time}>{new Date(e.time).toLocaleTimeString()}</td>
              <td className={VERDICT_CLASS[e.verdict]}>{e.verdict}</td>
              <td className={table.num}>{e.step === null ? '—' : `${e.step}/${steps}`}</td>
              <td className={table.num}>{e.weights.canary + e.weights.stable === 0 ? '—' : `${Math.round((e.weights.canary / (e.weights.canary + e.weights.stable)) * 100)} %`}</td>
              <td className={table.num}>{e.measured ? formatRps(e.measured.rps) : '—'}</td>
              <td className={table.num}>{e.measured ? formatSuccessRate(e.measured.successRate) : '—'}</td>
              <td className={table.num}>{e.measured ? formatLatencyMs(e.measured.p99Ms) : '—'}</td>
              <td className={`${table.wrap} ${styles.reason}`}>{e.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
