// Which code a benchmark measured: the commit checked out, and whether the tree had uncommitted changes. Every
// results file under bench/results names it beside the command that wrote it.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** `{ commit, dirty }`; commit "unknown" outside a git checkout. */
export function revision() {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: root, encoding: 'utf8' });
    return { commit, dirty: status.trim() !== '' };
  } catch {
    return { commit: 'unknown', dirty: false };
  }
}

/** "commit 1a2b3c4d" or "commit 1a2b3c4d with uncommitted changes", for a results file's first lines. */
export function revisionText(r = revision()) {
  return `commit ${r.commit.slice(0, 12)}${r.dirty ? ' with uncommitted changes' : ''}`;
}
