import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseRolloutRecord, rolloutRunnerGone } from '@meshviz/mesh-types';
import { processExists } from '@meshviz/runtime';
import { writeFileAtomic } from './atomic-write.js';
import { type RolloutStatus, statusFileName } from './status.js';

export class StatusFileError extends Error {}

export const statusFileIn = (configDir: string, route: string): string => path.join(configDir, statusFileName(route));

/** The recorded rollout of a route, or null when none was recorded; a file that is not a rollout record is an error. */
export async function readStatus(file: string): Promise<RolloutStatus | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StatusFileError(`cannot read the rollout status file ${file}: ${(err as Error).message}`);
  }
  const parsed = parseRolloutRecord(text);
  if (!parsed.ok) throw new StatusFileError(`the rollout status file ${file} ${parsed.message}`);
  return parsed.status;
}

export async function writeStatus(file: string, status: RolloutStatus): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(status, null, 2)}\n`);
}

const runningHere = (s: RolloutStatus | null): s is RolloutStatus & { pid: number } =>
  s !== null && s.phase === 'running' && s.pid !== undefined && s.pid !== process.pid && s.host === os.hostname();

/** Whether the record is of a start still running on this machine, in another process. */
export const runningElsewhere = (s: RolloutStatus | null): s is RolloutStatus & { pid: number } => runningHere(s) && processExists(s.pid);

/** Whether the record says running but the process that ran it on this machine has exited (killed, say). */
export const runnerGone = (s: RolloutStatus): boolean => rolloutRunnerGone(s, os.hostname(), processExists);
