import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { childEnv } from '../config.js';

export interface ProcessSpec {
  /** Short name used in progress lines and as the log file name, e.g. `bookshop/web-0/proxy`. */
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
}

export interface Supervised {
  spec: ProcessSpec;
  child: ChildProcess;
  logFile: string;
}

/**
 * Starts and stops the runtime's child processes. Each child's output goes to its own log file; an unexpected
 * exit is reported through `onUnexpectedExit` so the runtime can stop everything instead of running half a mesh.
 */
export class Supervisor {
  private readonly children: Supervised[] = [];
  private stopping = false;

  constructor(
    private readonly logDir: string,
    private readonly onUnexpectedExit: (p: Supervised, code: number | null, signal: string | null) => void,
  ) {}

  start(spec: ProcessSpec): Supervised {
    const logFile = path.join(this.logDir, `${spec.name.replaceAll('/', '_')}.log`);
    const log = createWriteStream(logFile, { flags: 'a' });
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: childEnv(spec.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    const entry: Supervised = { spec, child, logFile };
    this.children.push(entry);
    child.once('exit', (code, signal) => {
      log.end();
      if (!this.stopping) this.onUnexpectedExit(entry, code, signal);
    });
    child.once('error', (err) => {
      log.write(`failed to start: ${err.message}\n`);
    });
    return entry;
  }

  get running(): readonly Supervised[] {
    return this.children;
  }

  /** SIGTERM to every child, SIGKILL to what is left after `graceMs`; resolves when all have exited. */
  async stopAll(graceMs = 5000): Promise<void> {
    this.stopping = true;
    const alive = this.children.filter((c) => c.child.exitCode === null && c.child.signalCode === null);
    const exits = alive.map((c) => new Promise<void>((resolve) => c.child.once('exit', () => resolve())));
    for (const c of alive) c.child.kill('SIGTERM');
    const timer = setTimeout(() => {
      for (const c of alive) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    }, graceMs);
    await Promise.all(exits);
    clearTimeout(timer);
  }
}
