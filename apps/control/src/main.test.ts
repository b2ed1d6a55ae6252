import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTROL_ENV } from './config.js';
import { eventually } from './testing/capture-log.js';
import { makeTrustFixture, type TrustFixture } from './testing/trust-dir.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../dist/main.js', import.meta.url));

let fx: TrustFixture;
beforeAll(async () => {
  // Tests the current source, not whatever dist/ happens to hold.
  execFileSync(process.execPath, [fileURLToPath(import.meta.resolve('typescript/bin/tsc')), '-p', 'tsconfig.build.json'], { cwd: packageDir });
  fx = await makeTrustFixture('cluster.local');
}, 60_000);
afterAll(() => fx?.cleanup());

function baseEnv(): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    [CONTROL_ENV.identityListenAddr]: '127.0.0.1:0',
    [CONTROL_ENV.adminListenAddr]: '127.0.0.1:0',
    [CONTROL_ENV.identityDir]: fx.dir,
    [CONTROL_ENV.localTokenKeyFile]: fx.tokenKeyFile,
  };
}

function run(env: Record<string, string>): { child: ChildProcess; exited: Promise<number | null>; stderr: () => string } {
  const child = spawn(process.execPath, [bin], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

describe('meshviz-control bin', () => {
  it('exits 2 with one line naming a bad variable', async () => {
    const { exited, stderr } = run({ ...baseEnv(), [CONTROL_ENV.clockSkew]: 'soon' });
    expect(await exited).toBe(2);
    expect(stderr()).toBe('meshviz-control: CONTROL_IDENTITY_CLOCK_SKEW: must be a duration such as 20s (0s for none) (got "soon")\n');
  });

  it('exits 2 naming the variable and the file when the local token key is missing', async () => {
    const missing = join(fx.root, 'no-such.key');
    const { exited, stderr } = run({ ...baseEnv(), [CONTROL_ENV.localTokenKeyFile]: missing });
    expect(await exited).toBe(2);
    expect(stderr()).toBe(`meshviz-control: CONTROL_IDENTITY_LOCAL_TOKEN_KEY_FILE: ${missing}: missing\n`);
  });

  it('serves, becomes ready and stops cleanly on SIGTERM', async () => {
    const { child, exited } = run(baseEnv());
    const logs: { msg?: string; addresses?: { identity: string; admin: string } }[] = [];
    createInterface({ input: child.stdout! }).on('line', (line) => logs.push(JSON.parse(line) as (typeof logs)[number]));
    const addresses = await eventually(() => logs.find((entry) => entry.msg === 'control plane started')?.addresses, 'the start log');
    await eventually(async () => ((await fetch(`http://${addresses.admin}/ready`)).status === 200 ? true : undefined), 'ready');
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(logs.map((entry) => entry.msg)).toContain('shutdown complete');
  });

  it('exits when the process named by CONTROL_PARENT_PID is gone', async () => {
    const parent = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    const { exited } = run({ ...baseEnv(), [CONTROL_ENV.parentPid]: String(parent.pid) });
    await new Promise((resolve) => setTimeout(resolve, 500));
    parent.kill('SIGKILL');
    expect(await exited).toBe(0);
  });
});
