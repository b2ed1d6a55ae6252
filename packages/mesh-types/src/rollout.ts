import { z } from 'zod';

/**
 * Progressive delivery's record: what `meshviz rollout start` decided and when, kept beside the route it moves in
 * `<config dir>/.rollout-<route>.json` (written whole, atomically, after every decision), so that `meshviz rollout
 * status`, the API (`GET /api/v1/rollouts`) and the dashboard can follow a rollout another process runs.
 * `meshviz rollout abort` appends to it.
 */

export const RolloutWeights = z.object({ stable: z.number().int().min(0), canary: z.number().int().min(0) });

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
  weights: RolloutWeights,
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
  weights: RolloutWeights,
  events: z.array(RolloutEvent),
});
export type RolloutStatus = z.infer<typeof RolloutStatus>;

/** The status file of the rollout of `route`: hidden, so the policy loader and the watcher's readers skip it. */
export const statusFileName = (route: string): string => `.rollout-${route}.json`;

/** A recorded rollout as the API serves it (`route.file` reduced to the file's name): the record, and whether the process that ran it is known to be gone. */
export const RolloutView = RolloutStatus.extend({
  /** Phase `running` while its process (on the API's machine) has exited: it will decide nothing more. */
  runnerGone: z.boolean(),
});
export type RolloutView = z.infer<typeof RolloutView>;

export const RolloutsResponse = z.object({
  /** Where the records were read (the mesh's config directory); null when the API was given none. */
  source: z.string().nullable(),
  /** Every recorded rollout, the most recently updated first. */
  rollouts: z.array(RolloutView),
  /** Records that could not be read, each naming its file and what was wrong. */
  errors: z.array(z.object({ file: z.string(), message: z.string() })),
});
export type RolloutsResponse = z.infer<typeof RolloutsResponse>;

/**
 * Whether a record says `running` while the process that runs it, on this machine (`host`), has exited — killed,
 * say: it will decide nothing more. `exists` tells whether a pid lives here; a record from another host is not
 * judged.
 */
export function rolloutRunnerGone(status: RolloutStatus, host: string, exists: (pid: number) => boolean): boolean {
  return status.phase === 'running' && status.pid !== undefined && status.host === host && !exists(status.pid);
}

/** A record's text read: the rollout, or what is wrong with it, worded to follow the file's name. */
export function parseRolloutRecord(text: string): { ok: true; status: RolloutStatus } | { ok: false; message: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `is not JSON: ${(err as Error).message}` };
  }
  const parsed = RolloutStatus.safeParse(raw);
  if (parsed.success) return { ok: true, status: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, message: `is not a meshviz rollout record: ${issue?.path.join('.') || '(root)'}: ${issue?.message}` };
}
