import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { watchParent } from './parent-watch.js';

describe('parent watch', () => {
  it('calls back once the watched process is gone, and not before', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    let gone = 0;
    const stop = watchParent(child.pid!, () => gone++, 20);
    try {
      await new Promise((r) => setTimeout(r, 100));
      expect(gone).toBe(0);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      await new Promise((r) => setTimeout(r, 100));
      expect(gone).toBe(1);
    } finally {
      stop();
      child.kill('SIGKILL');
    }
  });
});
