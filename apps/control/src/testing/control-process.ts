import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { eventually } from './capture-log.js';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));

export type LogEntry = Record<string, unknown> & { msg?: string };
export interface Addresses {
  identity?: string;
  admin: string;
  policy?: string;
  destination?: string;
  injector?: string;
}

export interface ControlProcess {
  readonly child: ChildProcess;
  /** Its JSON log lines so far. */
  readonly logs: LogEntry[];
  stderr(): string;
  readonly exited: Promise<number | null>;
  /** The addresses of its `control plane started` line, once it is logged. */
  started(): Promise<Addresses>;
  stop(): Promise<void>;
}

/** A real `meshviz-control` process from the current source (run through tsx), with only `env` (and PATH). */
export function spawnControl(env: Record<string, string>): ControlProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: packageDir,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: LogEntry[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      logs.push(JSON.parse(line) as LogEntry);
    } catch {
      stderr += `${line}\n`;
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    logs,
    stderr: () => stderr,
    exited,
    started: () => eventually(() => logs.find((entry) => entry.msg === 'control plane started')?.addresses as Addresses | undefined, 'the start log', 30_000),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
