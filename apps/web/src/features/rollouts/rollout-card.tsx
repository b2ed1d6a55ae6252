import type { RolloutView } from '@meshviz/mesh-types';
import Link from 'next/link';
import page from '../../components/layout/page.module.css';
import { formatLatencyMs, formatSuccessRate } from '../../lib/format';
import { serviceHref } from '../../lib/links';
import { RowAttrs, TestIds } from '../../testids';
import { nextDecisionAt, PHASE_TEXT, stepsOf } from './progress';
import { RolloutHistory } from './rollout-history';
import styles from './rollouts.module.css';

const timeOf = (epochMs: number): string => new Date(epochMs).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** The share of the route's weights each backend has now, as one bar: canary in colour, stable beside it. */
function WeightsBar({ rollout }: { rollout: RolloutView }) {
  const total = rollout.weights.stable + rollout.weights.canary;
  const canary = total === 0 ? 0 : (rollout.weights.canary / total) * 100;
  const label = `${rollout.canary} ${canary.toFixed(0)} %, ${rollout.stable} ${(100 - canary).toFixed(0)} %`;
  return (
    <div className={styles.weights}>
      <span className={styles.weightsTrack} role="img" aria-label={`Traffic now: ${label}`} title={label}>
        <span className={styles.canaryBar} style={{ width: `${canary}%` }} />
      </span>
      <span className={styles.weightsText} data-testid={TestIds.rolloutWeights}>
        <strong>{rollout.canary}</strong> {canary.toFixed(0)} % · {rollout.stable} {(100 - canary).toFixed(0)} %
      </span>
    </div>
  );
}

function Steps({ rollout }: { rollout: RolloutView }) {
  const steps = stepsOf(rollout);
  if (steps.length === 0) return null;
  return (
    <ol className={styles.steps} aria-label="Steps of the canary's share">
      {steps.map((s) => (
        <li key={s.percent} className={`${styles.step} ${styles[s.state]}`} data-step-state={s.state} title={`${s.percent} %: ${s.state}`}>
          {s.percent} %
        </li>
      ))}
    </ol>
  );
}

/** One rollout: its route and backends, its phase, the canary's share now and its steps, the bounds, its decisions. */
export function RolloutCard({ rollout }: { rollout: RolloutView }) {
  const { route, plan } = rollout;
  const next = nextDecisionAt(rollout);
  return (
    <article
      className={`${page.card} ${styles.card}`}
      aria-labelledby={`rollout-${route.namespace}-${route.name}`}
      data-testid={TestIds.rollout}
      {...{ [RowAttrs.route]: `${route.namespace}/${route.name}`, [RowAttrs.phase]: rollout.phase }}
    >
      <header className={styles.head}>
        <div>
          <h2 id={`rollout-${route.namespace}-${route.name}`} className={styles.title}>
            HTTPRoute {route.namespace}/{route.name}
          </h2>
          <p className={styles.meta}>
            Service <Link href={serviceHref(route.namespace, rollout.service)}>{rollout.service}</Link>: {rollout.stable} (stable) →{' '}
            {rollout.canary} (canary) · {route.file}
          </p>
        </div>
        <span className={`${styles.phase} ${styles[`phase-${rollout.phase}`]}`} title={PHASE_TEXT[rollout.phase]} data-testid={TestIds.rolloutPhase}>
          {rollout.phase}
        </span>
      </header>
      {rollout.runnerGone ? (
        <p className={styles.gone} role="status">
          The process running this rollout has exited without a last decision (killed?): the weights stay where they are. Run{' '}
          <code>meshviz rollout status</code>, then start it again or abort it.
        </p>
      ) : null}
      <WeightsBar rollout={rollout} />
      <Steps rollout={rollout} />
      {plan ? (
        <p className={styles.plan}>
          Every {(plan.intervalMs / 1000).toFixed(plan.intervalMs % 1000 === 0 ? 0 : 1)} s the canary must keep success ≥{' '}
          {formatSuccessRate(plan.minSuccessRate)} and p99 ≤ {formatLatencyMs(plan.maxP99Ms)} over {plan.window}, measured on{' '}
          {plan.measure.kind}/{plan.measure.namespace}/{plan.measure.name}
          {next !== null ? ` · next decision at ${timeOf(next)}` : ''}
        </p>
      ) : null}
      <RolloutHistory rollout={rollout} />
    </article>
  );
}
