import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, createWriteStream } from 'node:fs';
import path from 'node:path';
import { childEnv, programPath } from '../config.js';

/** The pod a workload process belongs to, and which of its two containers it is. */
export interface PodRef {
  namespace: string;
  deployment: string;
  pod: string;
  container: 'app' | 'proxy';
}

export interface ProcessSpec {
  /** Short name used in progress lines and as the log file name, e.g. `bookshop/web-0/proxy`. */
  name: string;
  command: string;
  args: string[];
  /** On top of the runtime's own environment; an undefined value is not passed. */
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
  /** Set for a workload's app or proxy: its restarts are counted per pod. Unset: a part of the runtime itself. */
  pod?: PodRef;
  /**
   * The command sets its own parent-death signal (a pod's `setpriv`, which must set it after changing user: a
   * change of user clears it). Otherwise the supervisor adds one (`endingWithRuntime`).
   */
  diesWithRuntime?: boolean;
}

export interface Supervised {
  spec: ProcessSpec;
  child: ChildProcess;
  logFile: string;
  /** Times this process has exited and been (or is about to be) started again. */
  restarts: number;
  /** Exits in a row that each came soon after their start (see CRASH_RUN_MS). */
  quickExits: number;
  /** The last exit, as `code 1` or `SIGKILL`. */
  lastExit: string | null;
  /** Taken out of the mesh (meshviz run ended): never started again. */
  removed?: boolean;
}

/**
 * Restart policy (like Kubernetes' `restartPolicy: Always`, faster, for a mesh on one machine): a process that
 * exits is started again after 1 s, then 2 s, 4 s … up to 30 s while it keeps failing (Kubernetes: 10 s doubling
 * to 5 min); a process that ran for CRASH_RUN_MS starts the count again.
 */
export const RESTART_BACKOFF = { initialMs: 1000, maxMs: 30_000 } as const;
/** A run shorter than this ends in a "quick exit"; this many in a row is a crash loop, reported as such. */
export const CRASH_RUN_MS = 30_000;
export const CRASH_LOOP_EXITS = 3;
/** A part of the runtime itself (control plane, Prometheus, API, dashboard) that crash-loops stops the mesh. */
export const RUNTIME_MAX_QUICK_EXITS = 3;

export function backoffMs(quickExits: number): number {
  return Math.min(RESTART_BACKOFF.maxMs, RESTART_BACKOFF.initialMs * 2 ** Math.max(0, quickExits - 1));
}

export interface SupervisorEvents {
  /** A process exited and will start again after `delayMs`; `crashLoop` once it keeps exiting soon after starting. */
  onRestart(p: Supervised, delayMs: number, crashLoop: boolean): void;
  /** A part of the runtime exited repeatedly: the mesh cannot go on. */
  onFatal(p: Supervised): void;
}

let setprivFound: boolean | undefined;
/** util-linux's `setpriv` on Linux, looked for once. */
function hasSetpriv(): boolean {
  setprivFound ??= process.platform === 'linux' && spawnSync('setpriv', ['--version'], { stdio: 'ignore' }).status === 0;
  return setprivFound;
}

/** Whether `command` (a path, or a name looked up on PATH) is an executable file. */
function executable(command: string): boolean {
  const candidates = command.includes('/') ? [command] : programPath().split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, command));
  return candidates.some((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * The command line that ends a child with the runtime: `setpriv --pdeathsig TERM` has the kernel send the child
 * SIGTERM the moment `meshviz up` dies, SIGKILL included. meshviz's own programs also watch their parent, but
 * Prometheus does not, and a killed runtime left it running. Pods' commands carry a parent-death
 * signal of their own (`inPod`, `diesWithRuntime`); without setpriv (not Linux) the command is unchanged.
 */
export function endingWithRuntime(command: string, args: readonly string[]): { command: string; args: string[] } {
  // A program that cannot be found is spawned as it is, so the spawn fails with ENOENT and says so, rather than
  // setpriv's exit code 127.
  if (!hasSetpriv() || !executable(command)) return { command, args: [...args] };
  return { command: 'setpriv', args: ['--pdeathsig', 'TERM', '--', command, ...args] };
}

/**
 * Starts, restarts and stops the runtime's child processes. Each child's output goes to its own log file (appended
 * to across restarts). An exited process is started again with backoff; only a part of the runtime that keeps
 * exiting is fatal, so one crashing replica never takes the mesh down.
 */
export class Supervisor {
  private readonly children: Supervised[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopping = false;

  constructor(
    private readonly logDir: string,
    private readonly events: SupervisorEvents,
  ) {}

  static logFileOf(logDir: string, name: string): string {
    return path.join(logDir, `${name.replaceAll('/', '_')}.log`);
  }

  start(spec: ProcessSpec): Supervised {
    const logFile = Supervisor.logFileOf(this.logDir, spec.name);
    const entry: Supervised = { spec, child: undefined as unknown as ChildProcess, logFile, restarts: 0, quickExits: 0, lastExit: null };
    this.children.push(entry);
    this.launch(entry);
    return entry;
  }

  private launch(entry: Supervised): void {
    const { spec } = entry;
    const log = createWriteStream(entry.logFile, { flags: 'a' });
    const startedAt = Date.now();
    const { command, args } = spec.diesWithRuntime ? spec : endingWithRuntime(spec.command, spec.args);
    const child = spawn(command, args, { cwd: spec.cwd, env: childEnv(spec.env), stdio: ['ignore', 'pipe', 'pipe'] });
    entry.child = child;
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    // A log that cannot be written (disk full, removed) must not end the runtime; the process itself goes on.
    log.on('error', () => {});
    // The log ends once the child's output has all arrived: its stdio can still deliver after 'exit' (output in
    // flight, or a process it started that holds them), and 'close' comes only once they are closed.
    let logEnded = false;
    const endLog = () => {
      if (logEnded) return;
      logEnded = true;
      log.end();
    };
    child.once('close', endLog);
    let ended = false;
    const end = (how: string) => {
      if (ended) return;
      ended = true;
      entry.lastExit = how;
      this.exited(entry, Date.now() - startedAt);
    };
    // A program that cannot be started emits 'error' and never 'exit'.
    child.once('error', (err) => {
      if (!logEnded) log.write(`failed to start: ${err.message}\n`);
      if (child.pid === undefined) {
        endLog();
        end(`failed to start: ${err.message}`);
      }
    });
    child.once('exit', (code, signal) => end(signal ?? `code ${code}`));
  }

  private exited(entry: Supervised, ranMs: number): void {
    if (this.stopping || entry.removed) return;
    entry.quickExits = ranMs < CRASH_RUN_MS ? entry.quickExits + 1 : 1;
    if (!entry.spec.pod && entry.quickExits >= RUNTIME_MAX_QUICK_EXITS) {
      this.events.onFatal(entry);
      return;
    }
    const delay = backoffMs(entry.quickExits);
    entry.restarts++;
    this.events.onRestart(entry, delay, entry.quickExits >= CRASH_LOOP_EXITS);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.stopping || entry.removed) return;
      this.launch(entry);
    }, delay);
    this.timers.add(timer);
  }

  get running(): readonly Supervised[] {
    return this.children;
  }

  /** Stops some processes for good (they are not started again); resolves when they have exited. */
  async remove(entries: Supervised[], graceMs = 5000): Promise<void> {
    for (const e of entries) e.removed = true;
    await this.terminate(entries, graceMs);
    for (const e of entries) this.children.splice(this.children.indexOf(e), 1);
  }

  /** SIGTERM to every child, SIGKILL to what is left after `graceMs`; resolves when all have exited. */
  async stopAll(graceMs = 5000): Promise<void> {
    this.stopping = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.terminate(this.children, graceMs);
  }

  private async terminate(entries: readonly Supervised[], graceMs: number): Promise<void> {
    const alive = entries.filter((c) => c.child.pid !== undefined && c.child.exitCode === null && c.child.signalCode === null);
    const exits = alive.map((c) => new Promise<void>((resolve) => c.child.once('exit', () => resolve())));
    for (const c of alive) c.child.kill('SIGTERM');
    const timer = setTimeout(() => {
      for (const c of alive) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    }, graceMs);
    await Promise.all(exits);
    clearTimeout(timer);
  }
}
