import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB_DIR = fileURLToPath(new URL('../../apps/web/', import.meta.url));
const READY_TIMEOUT_MS = 60_000;

export interface WebServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the built dashboard (`next start`) on a free loopback port, pointed at `apiUrl`, with this process's
 * environment and `env` over it (a variable set to undefined is left out).
 * Port 0 lets the OS choose; the address is read from Next's "Local:" line.
 */
export async function startWeb(apiUrl: string, env: Record<string, string | undefined> = {}): Promise<WebServer> {
  if (!existsSync(join(WEB_DIR, '.next', 'BUILD_ID'))) {
    throw new Error('apps/web is not built: run `npm run build -w @meshviz/web` first');
  }
  const nextBin = createRequire(join(WEB_DIR, 'package.json')).resolve('next/dist/bin/next');
  const child = spawn(process.execPath, [nextBin, 'start', '--port', '0', '--hostname', '127.0.0.1'], {
    cwd: WEB_DIR,
    env: { ...process.env, ...env, MESHVIZ_API_URL: apiUrl, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const url = await readyUrl(child);
    return { url, stop: () => stopChild(child) };
  } catch (err) {
    await stopChild(child);
    throw err;
  }
}

function readyUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(`next start was not ready within ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
    function fail(reason: string) {
      clearTimeout(timer);
      reject(new Error(`${reason}\n${output}`));
    }
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Local:\s+(http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) => fail(`next start exited early (code ${code}, signal ${signal})`));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
