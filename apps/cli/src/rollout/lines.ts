import path from 'node:path';
import { fmtMs, fmtPercent, fmtRps } from '../table.js';
import type { RolloutEvent } from './status.js';
import { formatWeights } from './steps.js';

/** Columns of a rollout's log, fixed in width so each line can be printed as its decision is made. */
const COLUMNS = [
  ['TIME', 24],
  ['STEP', 7],
  ['WEIGHTS', 9],
  ['SUCCESS', 9],
  ['P99', 9],
  ['RPS', 9],
  ['VERDICT', 12],
] as const;

const row = (cells: string[]): string => cells.map((c, i) => c.padEnd(COLUMNS[i]?.[1] ?? 0)).join(' ').trimEnd();

export const eventHeader = (): string => row([...COLUMNS.map(([h]) => h), 'REASON']);

/** One decision as a line of the log; `steps` is how many steps the plan has (for `STEP 3/5`). */
export function eventLine(event: RolloutEvent, steps: number | null): string {
  const m = event.measured;
  return row([
    event.time,
    event.step === null ? '-' : `${event.step}/${steps ?? '?'}`,
    formatWeights(event.weights),
    m ? fmtPercent(m.successRate) : '-',
    m ? fmtMs(m.p99Ms) : '-',
    m ? fmtRps(m.rps) : '-',
    event.verdict,
    event.reason,
  ]);
}

/** A file as the user would type it: relative to the working directory when it is below it. */
export function shownPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}
