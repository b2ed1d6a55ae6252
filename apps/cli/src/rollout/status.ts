import { z } from 'zod';

/**
 * The rollout's record: what `meshviz rollout start` decided and when, kept in `<config dir>/.rollout-<route>.json`
 * (written whole, atomically, after every decision) so that `meshviz rollout status` and other readers (the dashboard)
 * can follow a rollout another process runs. `meshviz rollout abort` appends to it.
 */

const WeightsSchema = z.object({ stable: z.number().int().min(0), canary: z.number().int().min(0) });

export const ROLLOUT_VERDICTS = ['start', 'advance', 'promoted', 'rolled-back', 'stopped', 'conflict', 'aborted', 'error'] as const;
export type RolloutVerdict = (typeof ROLLOUT_VERDICTS)[number];

export const RolloutEvent = z.object({
  /** RFC 3339, when the decision was made. */
  time: z.string(),
  /**
   * start: the rollout began (weights as found); advance: the canary was within bounds and got the next step;
   * promoted: the canary takes 100%; rolled-back: it broke a bound and gets 0% again; stopped: Ctrl-C, weights
   * left as they were; conflict: the weights changed outside the rollout, which stopped without writing; aborted:
   * `meshviz rollout abort` set 0%; error: the rollout could not go on (`reason` says why).
   */
  verdict: z.enum(ROLLOUT_VERDICTS),
  /** 1-based place among `plan.steps` of the step this decision wrote; null when it wrote no step. */
  step: z.number().int().min(1).nullable(),
  /** The route's weights after this decision. */
  weights: WeightsSchema,
  /** Whether this decision wrote the route file. */
  written: z.boolean(),
  /** The canary's figures the decision was made on; null when none were read. */
  measured: z.object({ rps: z.number().nullable(), successRate: z.number().nullable(), p99Ms: z.number().nullable() }).nullable(),
  /** For rolled-back: the metrics that broke their bounds, with their values. */
  failures: z.array(z.object({ metric: z.enum(['traffic', 'success-rate', 'p99', 'measurement']), value: z.number().nullable(), message: z.string() })).optional(),
  reason: z.string(),
});
export type RolloutEvent = z.infer<typeof RolloutEvent>;

export const RolloutPhase = z.enum(['running', 'promoted', 'rolled-back', 'stopped', 'conflict', 'aborted', 'error']);
export type RolloutPhase = z.infer<typeof RolloutPhase>;

export const RolloutStatus = z.object({
  version: z.literal(1),
  route: z.object({ namespace: z.string(), name: z.string(), file: z.string() }),
  /** The Service the route is attached to, and the two backends traffic moves between. */
  service: z.string(),
  stable: z.string(),
  canary: z.string(),
  /** What `start` was asked to do; absent when only `abort` has written the file. */
  plan: z
    .object({
      steps: z.array(z.number().int().min(1).max(100)),
      intervalMs: z.number().positive(),
      minSuccessRate: z.number().min(0).max(1),
      maxP99Ms: z.number().positive(),
      window: z.string(),
      /** The resource whose figures judge the canary (`deployment` or `service`, its namespace and name). */
      measure: z.object({ kind: z.enum(['deployment', 'service']), namespace: z.string(), name: z.string() }),
    })
    .optional(),
  phase: RolloutPhase,
  /** The process running `start`, so a second one is refused while it lives. */
  pid: z.number().int().optional(),
  host: z.string().optional(),
  startedAt: z.string(),
  updatedAt: z.string(),
  weights: WeightsSchema,
  events: z.array(RolloutEvent),
});
export type RolloutStatus = z.infer<typeof RolloutStatus>;

/** The phase a rollout is in after a decision. */
export function phaseAfter(verdict: RolloutVerdict): RolloutPhase {
  return verdict === 'start' || verdict === 'advance' ? 'running' : verdict;
}

/** The status file of the rollout of `route`: hidden, so the policy loader and the watcher's readers skip it. */
export const statusFileName = (route: string): string => `.rollout-${route}.json`;
