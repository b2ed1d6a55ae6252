import type { RolloutPhase, RolloutVerdict } from '@meshviz/mesh-types';

export {
  ROLLOUT_VERDICTS,
  RolloutEvent,
  RolloutPhase,
  RolloutStatus,
  type RolloutVerdict,
  statusFileName,
} from '@meshviz/mesh-types';

/** The phase a rollout is in after a decision. */
export function phaseAfter(verdict: RolloutVerdict): RolloutPhase {
  return verdict === 'start' || verdict === 'advance' ? 'running' : verdict;
}
