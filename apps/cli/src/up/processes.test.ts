import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backoffMs, type Supervised, Supervisor, type SupervisorEvents } from './processes.js';

const pod = { namespace: 'shop', deployment: 'api', pod: 'api-0', container: 'app' as const };

describe('Supervisor', () => {
  let dir: string;
  let supervisor: Supervisor | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'meshviz-supervisor-'));
  });
  afterEach(async () => {
    await supervisor?.stopAll(1000);
    await rm(dir, { recursive: true, force: true });
  });

  const recorder = () => {
    const restarts: { name: string; delayMs: number; crashLoop: boolean; restarts: number; lastExit: string | null }[] = [];
    const fatal: Supervised[] = [];
    const events: SupervisorEvents = {
      onRestart: (p, delayMs, crashLoop) => restarts.push({ name: p.spec.name, delayMs, crashLoop, restarts: p.restarts, lastExit: p.lastExit }),
      onFatal: (p) => fatal.push(p),
    };
    return { restarts, fatal, events };
  };
  const until = async (what: string, ok: () => boolean, ms = 15_000) => {
    const deadline = Date.now() + ms;
    while (!ok()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const untilAsync = async (what: string, ok: () => Promise<boolean>, ms = 15_000) => {
    const deadline = Date.now() + ms;
    while (!(await ok())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it.skipIf(process.platform !== 'linux')(
    'ends a child that does not watch its parent when the runtime is killed with SIGKILL',
    async () => {
      // A runtime of its own (the test process must survive), starting `sleep` the way meshviz up starts Prometheus:
      // a program that never looks at its parent.
      const script = `
        import { Supervisor } from ${JSON.stringify(new URL('./processes.ts', import.meta.url).href)};
        const s = new Supervisor(${JSON.stringify(dir)}, { onRestart() {}, onFatal() {} });
        const p = s.start({ name: 'prometheus', command: 'sleep', args: ['300'] });
        console.log(p.child.pid);`;
      const runtime = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      const pid = await new Promise<number>((resolve, reject) => {
        runtime.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
        runtime.once('exit', (code) => reject(new Error(`the runtime exited first (${code})`)));
      });
      // Dead or a zombie waiting for init to reap it.
      const gone = () => {
        try {
          return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? true;
        } catch {
          return true;
        }
      };
      await until('the sleep to start', () => !gone() && readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('sleep'), 5000);
      runtime.kill('SIGKILL');
      try {
        await until('the child to end with its runtime', gone, 5000);
      } finally {
        if (!gone()) process.kill(pid, 'SIGKILL');
      }
    },
  );

  it('doubles the backoff from 1 s up to 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 10].map(backoffMs)).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('starts a killed workload process again, appending to its log, and counts the restart', async () => {
    const r = recorder();
    supervisor = new Supervisor(dir, r.events);
    const p = supervisor.start({
      name: 'shop/api-0/app',
      pod,
      command: process.execPath,
      args: ['-e', 'console.log("up " + process.pid); setInterval(() => {}, 1000)'],
    });
    const first = p.child.pid!;
    const logged = async (pid: number) => (await readFile(p.logFile, 'utf8').catch(() => '')).includes(`up ${pid}\n`);
    await untilAsync('the first run to log', () => logged(first));
    process.kill(first, 'SIGKILL');
    await until('the restart', () => p.child.pid !== first && p.child.exitCode === null && p.child.pid !== undefined);
    expect(r.restarts).toEqual([{ name: 'shop/api-0/app', delayMs: 1000, crashLoop: false, restarts: 1, lastExit: 'SIGKILL' }]);
    // One log per process, appended to across restarts.
    await untilAsync('the second run to log', () => logged(p.child.pid!));
    expect(await logged(first)).toBe(true);
    expect(r.fatal).toEqual([]);
  });

  it('reports a workload that keeps exiting as a crash loop and keeps starting it', async () => {
    const r = recorder();
    supervisor = new Supervisor(dir, r.events);
    supervisor.start({ name: 'shop/api-0/app', pod, command: process.execPath, args: ['-e', 'process.exit(3)'] });
    await until('three exits', () => r.restarts.length >= 3, 20_000);
    expect(r.restarts.map((x) => [x.delayMs, x.crashLoop, x.lastExit])).toEqual([
      [1000, false, 'code 3'],
      [2000, false, 'code 3'],
      [4000, true, 'code 3'],
    ]);
    expect(r.fatal).toEqual([]);
  }, 30_000);

  it('gives up on a part of the runtime that keeps exiting: the mesh cannot go on without it', async () => {
    const r = recorder();
    supervisor = new Supervisor(dir, r.events);
    supervisor.start({ name: 'prometheus', command: process.execPath, args: ['-e', 'process.exit(1)'] });
    await until('the fatal report', () => r.fatal.length === 1, 20_000);
    expect(r.restarts.length).toBe(2);
    expect(r.fatal[0]!.quickExits).toBe(3);
  }, 30_000);

  it('keeps the output a process leaves behind after its exit, and does not fall over it', async () => {
    const r = recorder();
    supervisor = new Supervisor(dir, r.events);
    // The shell exits at once; what it started holds its stdout and writes 300 ms later.
    const p = supervisor.start({ name: 'shop/api-0/app', pod, command: '/bin/sh', args: ['-c', 'echo early; (sleep 0.3; echo late) & exit 0'] });
    await until('the restart report', () => r.restarts.length === 1);
    await untilAsync('the late line in the log', async () => (await readFile(p.logFile, 'utf8').catch(() => '')).includes('late\n'));
    await supervisor.stopAll(1000);
    expect(await readFile(p.logFile, 'utf8')).toMatch(/^early\n(early\n)*late\n/);
  });

  it('counts a program that cannot be started as an exit, and stops cleanly', async () => {
    const r = recorder();
    supervisor = new Supervisor(dir, r.events);
    supervisor.start({ name: 'shop/api-0/app', pod, command: path.join(dir, 'no-such-program'), args: [] });
    await until('the restart report', () => r.restarts.length === 1);
    expect(r.restarts[0]!.lastExit).toMatch(/failed to start: .*ENOENT/);
    await supervisor.stopAll(1000);
    await new Promise((res) => setTimeout(res, 1500));
    expect(r.restarts.length).toBe(1);
  });
});
