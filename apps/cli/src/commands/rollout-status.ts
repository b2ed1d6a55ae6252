import { eventHeader, eventLine } from '../rollout/lines.js';
import type { RolloutStatus } from '../rollout/status.js';
import { formatWeights } from '../rollout/steps.js';
import { formatDurationMs } from '../rollout/units.js';
import { fmtMs, fmtPercent } from '../table.js';

/** A rollout's record for a terminal: what it moves, where it stands, its plan, then every decision. */
export function renderRolloutStatus(s: RolloutStatus, processGone: boolean): string {
  const phase = processGone ? `running, but its process (pid ${s.pid}) has exited: nothing moves the route now` : s.phase;
  const lines = [
    `HTTPRoute ${s.route.namespace}/${s.route.name} (${s.route.file}) on Service ${s.service}: ${s.stable} → ${s.canary}`,
    `phase: ${phase}`,
    `weights: ${formatWeights(s.weights)} (${s.stable}/${s.canary})`,
    `started: ${s.startedAt}, last decision: ${s.updatedAt}`,
  ];
  const p = s.plan;
  if (p) {
    lines.push(
      `plan: steps ${p.steps.join(',')} every ${formatDurationMs(p.intervalMs)}; success ≥ ${fmtPercent(p.minSuccessRate)}, ` +
        `p99 ≤ ${fmtMs(p.maxP99Ms)} over ${p.window} (${p.measure.kind} ${p.measure.namespace}/${p.measure.name})`,
    );
  }
  lines.push('', eventHeader(), ...s.events.map((e) => eventLine(e, p?.steps.length ?? null)));
  return lines.join('\n');
}
