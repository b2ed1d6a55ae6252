import { type FSWatcher, watch } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';

export interface WatchOptions {
  /** What is watched, for the log (`policy`, `destinations`). */
  name: string;
  dir: string | undefined;
  files: readonly string[];
  /** Fallback poll, for file systems without change notifications and a directory made after the start. */
  pollIntervalMs: number;
  /** Changes that arrive within this are taken together (an editor's save is several events). */
  settleMs: number;
  log: Logger;
}

/**
 * Calls `onChange` when the directory (the policy resources) or one of the files (the workloads, the discovery table)
 * changes; both streaming services reload through it. Change notifications (fs.watch) make an edit reach the proxies
 * in well under a second; a poll of names, sizes and modification times catches what notifications miss (the
 * directory appearing later, network file systems). Changes are serialized: `onChange` never runs twice at once, and
 * a change seen during a run triggers one more.
 */
export function watchSources(options: WatchOptions, onChange: () => Promise<void>): { close(): void } {
  const { log } = options;
  let closed = false;
  let running = false;
  let again = false;
  let settle: NodeJS.Timeout | undefined;
  let lastSignature = '';
  const watchers: FSWatcher[] = [];

  const run = async (): Promise<void> => {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      lastSignature = await signature(options);
      await onChange();
    } catch (error) {
      log.error({ err: { message: (error as Error).message } }, `${options.name} reload failed`);
    } finally {
      running = false;
      if (again && !closed) {
        again = false;
        void run();
      }
    }
  };
  const changed = () => {
    clearTimeout(settle);
    settle = setTimeout(() => void run(), options.settleMs);
  };

  /** Watches a directory; `only` limits it to those names (a file's directory also holds other files). */
  const tryWatch = (target: string, only?: ReadonlySet<string>) => {
    try {
      const watcher = watch(target, { persistent: false }, (_event, name) => {
        // A platform that gives no name is taken at its word that something changed.
        if (!only || name === null || only.has(String(name))) changed();
      });
      watcher.on('error', () => watcher.close());
      watchers.push(watcher);
    } catch {
      // Not there yet: the poll notices when it appears.
    }
  };
  if (options.dir) tryWatch(options.dir);
  const fileDirs = new Map<string, Set<string>>();
  for (const file of options.files) {
    const dir = path.dirname(file);
    if (options.dir && path.resolve(dir) === path.resolve(options.dir)) continue; // watched whole already
    fileDirs.set(dir, (fileDirs.get(dir) ?? new Set()).add(path.basename(file)));
  }
  for (const [dir, names] of fileDirs) tryWatch(dir, names);

  const poll = setInterval(() => {
    void signature(options).then((next) => {
      if (next !== lastSignature && !running) changed();
    });
  }, options.pollIntervalMs);
  poll.unref();
  void signature(options).then((s) => {
    lastSignature = s;
  });

  return {
    close: () => {
      closed = true;
      clearTimeout(settle);
      clearInterval(poll);
      for (const w of watchers) w.close();
    },
  };
}

/** Names, sizes and modification times of everything a load reads. */
async function signature(options: WatchOptions): Promise<string> {
  const parts: string[] = [];
  const files = [...options.files];
  if (options.dir) {
    try {
      for (const name of (await readdir(options.dir)).sort()) files.push(path.join(options.dir, name));
    } catch {
      parts.push('no-dir');
    }
  }
  for (const file of files) {
    try {
      const s = await stat(file);
      parts.push(`${file}:${s.size}:${s.mtimeMs}`);
    } catch {
      parts.push(`${file}:missing`);
    }
  }
  return parts.join('|');
}
