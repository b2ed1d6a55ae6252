import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/** A process whose shutdown never finishes, stopped by SIGTERM: it must exit by itself at its deadline. */
const SCRIPT = `
import pino from 'pino';
import { stopOnSignals } from ${JSON.stringify(new URL('./stop-signals.ts', import.meta.url).href)};
const hold = setInterval(() => {}, 1000);
stopOnSignals({ shutdown: () => new Promise(() => {}) }, { log: pino(), parentPid: undefined, deadlineMs: 300 });
process.stdout.write('ready\\n');
void hold;
`;

describe('stopOnSignals', () => {
  it('exits with 1 and says so when a shutdown never finishes within its deadline', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.startsWith('ready\n') && !child.killed) child.kill('SIGTERM');
    });
    let err = '';
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    const started = performance.now();
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, err).toBe(1);
    expect(out).toContain('shutdown did not finish in time');
    expect(performance.now() - started).toBeLessThan(10_000);
  }, 20_000);

  it('stops gracefully on a SIGTERM that comes while the service is still starting', async () => {
    const script = `
import pino from 'pino';
import { stopOnSignals } from ${JSON.stringify(new URL('./stop-signals.ts', import.meta.url).href)};
const starting = new Promise((resolve) => setTimeout(() => resolve({ shutdown: async () => { process.stdout.write('stopped\\n'); } }), 500));
stopOnSignals(starting, { log: pino({ level: 'silent' }), parentPid: undefined });
process.stdout.write('starting\\n');
`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.startsWith('starting\n') && !child.killed) child.kill('SIGTERM');
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    expect(out).toBe('starting\nstopped\n');
  }, 20_000);
});
