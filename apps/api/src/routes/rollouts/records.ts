import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseRolloutRecord, type RolloutStatus, type RolloutsResponse, type RolloutView, rolloutRunnerGone } from '@meshviz/mesh-types';
import { processExists } from '@meshviz/runtime';

/** `meshviz rollout` names its records `.rollout-<route>.json` in the config directory. */
const RECORD = /^\.rollout-.+\.json$/;

/**
 * Every rollout recorded in `dir`, the most recently updated first. A record that cannot be read or is not a
 * rollout record is reported apart, by file name, and the others are still served; a directory that cannot be read
 * is one such error. Read afresh on every request: a rollout writes its record after each decision.
 */
export async function readRollouts(dir: string | undefined): Promise<RolloutsResponse> {
  if (dir === undefined) return { source: null, rollouts: [], errors: [] };
  const rollouts: RolloutView[] = [];
  const errors: RolloutsResponse['errors'] = [];
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => RECORD.test(n)).sort();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    errors.push({ file: dir, message: code === 'ENOENT' ? 'the config directory does not exist' : `cannot read the config directory: ${(err as Error).message}` });
    return { source: dir, rollouts, errors };
  }
  const host = os.hostname();
  for (const name of names) {
    const read = await readRecord(path.join(dir, name));
    if (typeof read === 'string') errors.push({ file: name, message: read });
    else if (read) {
      rollouts.push({
        ...read,
        route: { ...read.route, file: path.basename(read.route.file) },
        runnerGone: rolloutRunnerGone(read, host, processExists),
      });
    }
  }
  rollouts.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  return { source: dir, rollouts, errors };
}

/** The record, null when it went away between listing and reading, or a message saying what is wrong with it. */
async function readRecord(file: string): Promise<RolloutStatus | null | string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    return `cannot be read: ${(err as Error).message}`;
  }
  const parsed = parseRolloutRecord(text);
  return parsed.ok ? parsed.status : parsed.message;
}
