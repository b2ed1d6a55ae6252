import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { RolloutStatus, statusFileName } from './status.js';

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
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new StatusFileError(`the rollout status file ${file} is not JSON: ${(err as Error).message}`);
  }
  const parsed = RolloutStatus.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StatusFileError(`the rollout status file ${file} is not a meshviz rollout record: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return parsed.data;
}

export async function writeStatus(file: string, status: RolloutStatus): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(status, null, 2)}\n`);
}
