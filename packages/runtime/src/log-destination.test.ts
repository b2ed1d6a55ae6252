import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { logDestination } from './log-destination.js';

/**
 * A process logging through pino: it says it is ready, and on a line on its stdin logs once more and exits, the
 * way a meshviz process logs "shutting down" and exits when its parent is gone. `DESTINATION` picks the writer.
 */
const script = (destination: 'meshviz' | 'pino-default') => `
import pino from 'pino';
import { logDestination } from ${JSON.stringify(new URL('./log-destination.ts', import.meta.url).href)};
const log = ${destination === 'meshviz' ? 'pino({}, logDestination())' : 'pino()'};
log.info('ready');
process.stdin.once('data', () => {
  for (let i = 0; i < 3; i++) log.info({ i }, 'shutting down');
  process.exit(0);
});
`;

async function exitAfterReaderGone(destination: 'meshviz' | 'pino-default'): Promise<{ code: number | null; ms: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script(destination)], { stdio: ['pipe', 'pipe', 'ignore'] });
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  // The reader of its output goes away (its runtime was killed), then it logs and exits.
  child.stdout.destroy();
  const started = performance.now();
  child.stdin.write('stop\n');
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
    }, 3000);
    child.once('exit', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  return { code, ms: performance.now() - started };
}

describe('logDestination', () => {
  it('writes each line whole, synchronously, to its file descriptor', () => {
    const file = path.join(os.tmpdir(), `meshviz-log-${process.pid}-${Date.now()}.jsonl`);
    const fd = openSync(file, 'w');
    try {
      const dest = logDestination(fd);
      dest.write('{"msg":"one"}\n');
      dest.write(`{"msg":"${'é'.repeat(100_000)}"}\n`);
      expect(readFileSync(file, 'utf8')).toBe(`{"msg":"one"}\n{"msg":"${'é'.repeat(100_000)}"}\n`);
      expect(dest.dropped).toBe(0);
    } finally {
      closeSync(fd);
      rmSync(file, { force: true });
    }
  });

  it('drops lines instead of throwing once its descriptor fails, and counts them', () => {
    const fd = openSync(os.devNull, 'r');
    closeSync(fd);
    const dest = logDestination(fd);
    expect(() => dest.write('{"msg":"lost"}\n')).not.toThrow();
    dest.write('{"msg":"lost too"}\n');
    expect(dest.dropped).toBe(2);
  });

  it('lets a process whose log reader is gone exit at once (EPIPE), where pino’s default writer hangs', async () => {
    const ours = await exitAfterReaderGone('meshviz');
    expect(ours.code).toBe(0);
    expect(ours.ms).toBeLessThan(2500);
    // The case the writer exists for: pino's own destination retries the failed flush at exit for ever (killed by
    // the helper after 3 s). If pino ever stops doing so, this says the workaround may go.
    const theirs = await exitAfterReaderGone('pino-default');
    expect(theirs.code).toBeNull();
  }, 20_000);
});
