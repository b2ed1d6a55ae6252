import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type Bin = 'service' | 'loadgen';

export interface Spawned {
  child: ChildProcess;
  /** Every JSON log line so far. */
  logs: Record<string, unknown>[];
  /** Resolves with the first log line matching `msg`. */
  waitForLog(msg: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
}

/** Runs a built bin (dist/<bin>/main.js) with exactly `env`, collecting its JSON log lines. */
export function spawnBin(bin: Bin, env: Record<string, string>): Spawned {
  const script = fileURLToPath(new URL(`../../dist/${bin}/main.js`, import.meta.url));
  if (!existsSync(script)) throw new Error(`${script} is missing: run "npm run build -w @meshviz/demo" first`);
  const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: Record<string, unknown>[] = [];
  const waiters: { msg: string; resolve: (line: Record<string, unknown>) => void }[] = [];
  let buffered = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines.filter(Boolean)) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      logs.push(entry);
      for (const waiter of waiters.filter((w) => w.msg === entry.msg)) waiter.resolve(entry);
    }
  });
  child.stderr!.resume();
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const waitForLog = (msg: string, timeoutMs = 5000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const found = logs.find((entry) => entry.msg === msg);
      if (found) return resolve(found);
      const timer = setTimeout(() => reject(new Error(`no "${msg}" log within ${timeoutMs} ms: ${JSON.stringify(logs)}`)), timeoutMs);
      waiters.push({
        msg,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
    });
  return { child, logs, waitForLog, exited };
}
