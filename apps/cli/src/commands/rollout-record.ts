import path from 'node:path';
import { eventHeader, eventLine, shownPath } from '../rollout/lines.js';
import { writeRouteWeights } from '../rollout/route-dir.js';
import type { RolloutEvent, RolloutStatus } from '../rollout/status.js';
import { readStatus, runnerGone, runningElsewhere, statusFileIn, writeStatus } from '../rollout/status-file.js';
import { formatWeights, ROLLED_BACK } from '../rollout/steps.js';
import { formatDurationMs } from '../rollout/units.js';
import { fmtMs, fmtPercent } from '../table.js';
import type { AbortArgs, StatusArgs } from './rollout-args.js';
import { UsageError } from './usage-error.js';

/** `meshviz rollout status` and `abort`: they read (and abort appends to) the record a start keeps. */

export async function rolloutStatus(args: StatusArgs, out: (t: string) => void): Promise<number> {
  const file = statusFileIn(args.configDir, args.route);
  const record = await readStatus(file);
  if (record === null) throw new Error(`no rollout of HTTPRoute ${args.route} is recorded in ${args.configDir} (no ${path.basename(file)})`);
  if (args.output === 'json') out(`${JSON.stringify(record, null, 2)}\n`);
  else {
    out(`${renderRolloutStatus(record, runnerGone(record))}\n`);
  }
  return 0;
}

export async function rolloutAbort(args: AbortArgs, out: (t: string) => void): Promise<number> {
  const file = statusFileIn(args.configDir, args.route);
  const recorded = await readStatus(file);
  // A record of a same-named route in another namespace says nothing about this one.
  const record = args.given.namespace === undefined || recorded?.route.namespace === args.given.namespace ? recorded : null;
  if (record === null && runningElsewhere(recorded)) {
    throw new Error(`${file} records a running rollout of HTTPRoute ${recorded.route.namespace}/${recorded.route.name} (pid ${recorded.pid}); abort that one first`);
  }
  const target = {
    route: args.route,
    namespace: args.given.namespace ?? record?.route.namespace,
    service: args.given.service ?? record?.service,
    stable: args.given.stable ?? record?.stable,
    canary: args.given.canary ?? record?.canary,
  };
  const missing = [
    target.namespace === undefined && '-n <ns>',
    target.service === undefined && 'svc/<service>',
    target.stable === undefined && '--stable <svc>',
    target.canary === undefined && '--canary <svc>',
  ].filter(Boolean);
  if (target.namespace === undefined || target.service === undefined || target.stable === undefined || target.canary === undefined) {
    throw new UsageError(`no rollout of ${args.route} is recorded in ${args.configDir}, so meshviz rollout abort needs ${missing.join(', ')}`);
  }
  const split = { ...target, namespace: target.namespace, service: target.service, stable: target.stable, canary: target.canary };
  const { file: routeFile, written } = await writeRouteWeights(args.configDir, split, ROLLED_BACK);
  const time = new Date().toISOString();
  const event: RolloutEvent = {
    time,
    verdict: 'aborted',
    step: null,
    weights: ROLLED_BACK,
    written,
    measured: null,
    reason: written ? `meshviz rollout abort set ${split.canary} to 0%` : `${split.canary} already had 0%`,
  };
  const base: RolloutStatus = record ?? {
    version: 1,
    route: { namespace: split.namespace, name: split.route, file: path.relative(args.configDir, routeFile) },
    service: split.service,
    stable: split.stable,
    canary: split.canary,
    phase: 'aborted',
    startedAt: time,
    updatedAt: time,
    weights: ROLLED_BACK,
    events: [],
  };
  await writeStatus(file, { ...base, phase: 'aborted', weights: ROLLED_BACK, updatedAt: time, events: [...base.events, event] });
  if (args.output === 'json') {
    out(`${JSON.stringify(event)}\n`);
    return 0;
  }
  out(`HTTPRoute ${split.namespace}/${split.route} (${shownPath(routeFile)}): ${split.stable} 100, ${split.canary} 0${written ? '' : ' (already)'}\n`);
  if (runningElsewhere(record)) out(`the rollout running in pid ${record.pid} stops at its next step without writing\n`);
  return 0;
}

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
