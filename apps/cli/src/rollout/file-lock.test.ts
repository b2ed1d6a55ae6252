import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileLockError, withFileLock } from './file-lock.js';

describe('the route file lock', () => {
  let dir = '';
  let file = '';
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'meshviz-lock-'));
    file = path.join(dir, 'routes.yaml');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('lets one holder in at a time, and leaves no lock behind', async () => {
    const log: string[] = [];
    const hold = (who: string) =>
      withFileLock(file, async () => {
        log.push(`${who} in`);
        await sleep(30);
        log.push(`${who} out`);
      });
    await Promise.all([hold('a'), hold('b'), hold('c')]);
    for (let i = 0; i < log.length; i += 2) expect(log[i + 1]).toBe(log[i]?.replace(' in', ' out'));
    expect(await readdir(dir)).toEqual([]);
  });

  it('releases the lock when the holder fails', async () => {
    await expect(withFileLock(file, async () => Promise.reject(new Error('edit failed')))).rejects.toThrow('edit failed');
    await expect(withFileLock(file, async () => 'next')).resolves.toBe('next');
  });

  it('takes over a lock left by a process that died, and names a lock held too long', async () => {
    const lock = path.join(dir, '.routes.yaml.lock');
    await writeFile(lock, '12345\n');
    await expect(withFileLock(file, async () => 'x', { timeoutMs: 50, staleMs: 60_000 })).rejects.toThrow(FileLockError);
    await expect(withFileLock(file, async () => 'x', { timeoutMs: 50, staleMs: 60_000 })).rejects.toThrow(`${file} stayed locked by another meshviz process`);
    const old = new Date(Date.now() - 120_000);
    await utimes(lock, old, old);
    await expect(withFileLock(file, async () => 'taken over', { timeoutMs: 50, staleMs: 60_000 })).resolves.toBe('taken over');
  });
});
