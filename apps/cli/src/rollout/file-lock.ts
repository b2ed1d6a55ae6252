import { open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export class FileLockError extends Error {}

export interface LockOptions {
  /** How long to wait for another holder before giving up. */
  timeoutMs?: number;
  /** A lock older than this is left from a process that died while holding it, and is taken over. */
  staleMs?: number;
}

/**
 * Runs `fn` holding the lock of `file` (a hidden `.<name>.lock` beside it, made exclusively), so two rollouts whose
 * routes share a file each read, edit and replace it in turn and neither loses the other's change. It guards against
 * other meshviz processes only: an editor does not take it (the rollout notices an editor's change and stops).
 */
export async function withFileLock<T>(file: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const { timeoutMs = 15_000, staleMs = 10_000 } = options;
  const lock = path.join(path.dirname(file), `.${path.basename(file)}.lock`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(lock, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > staleMs) {
        await rm(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new FileLockError(`${file} stayed locked by another meshviz process for ${timeoutMs / 1000}s (${lock}); remove that file if none is running`);
      }
      await sleep(10);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { force: true });
  }
}
