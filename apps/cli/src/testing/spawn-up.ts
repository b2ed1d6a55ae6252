import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv } from '../config.js';

export interface UpState {
  dashboardUrl: string;
  tapToken: string;
  apiUrl: string;
  prometheusUrl: string;
  loadgenUrl: string | null;
  clientUrls: Record<string, string>;
  runDir: string;
  pid: number;
}

export interface SpawnedMesh extends UpState {
  child: ChildProcess;
  /** The HOME it runs with (its ~/.meshviz/current.json lets commands run with this HOME find it). */
  home: string;
  output: () => string;
  stop(): Promise<void>;
}

// Two levels below the package root from both src/testing and dist/testing: always run the built CLI.
const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'main.js');

/**
 * Runs the real `meshviz up` as a child process on free ports (for tests), and resolves once it reports ready.
 * Every port is chosen at run time, so a demo running on the same machine is never disturbed.
 */
export async function spawnUp(args: string[] = ['--demo'], timeoutMs = 120_000): Promise<SpawnedMesh> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'meshviz-up-test-'));
  const stateFile = path.join(dir, 'state.json');
  const child = spawn(process.execPath, [MAIN, 'up', ...args, '--port', '0', '--state-file', stateFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own HOME: a test must not replace the record of a mesh the user is running (~/.meshviz/current.json).
    env: childEnv({ MESHVIZ_PORT: '0', HOME: dir }),
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`meshviz up exited with ${child.exitCode}:\n${output}`);
    const text = await readFile(stateFile, 'utf8').catch(() => null);
    if (text && output.includes('meshviz is ready')) {
      return { ...(JSON.parse(text) as UpState), child, home: dir, output: () => output, stop };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`meshviz up was not ready after ${timeoutMs / 1000}s:\n${output}`);
}
