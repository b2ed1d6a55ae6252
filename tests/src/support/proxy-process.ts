import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The built proxy (npm test builds first); a real process, so its memory and signals are its own. */
export const PROXY_BIN = fileURLToPath(new URL('../../../apps/proxy/dist/main.js', import.meta.url));

export interface ProxyProcess {
  readonly child: ChildProcess;
  readonly addresses: { inbound: string; outbound: string; admin: string; tap: string };
  readonly exited: Promise<number | null>;
  /** Resident memory of the process now, in bytes (Linux /proc). */
  rss(): number;
  /** SIGKILL if still running, and wait for the exit. */
  kill(): Promise<void>;
}

/** Spawns meshviz-proxy with every listener on a free loopback port and waits for its "proxy ready" line. */
export async function spawnProxy(env: Record<string, string>): Promise<ProxyProcess> {
  const child = spawn(process.execPath, [PROXY_BIN], {
    env: {
      PATH: process.env.PATH ?? '',
      PROXY_INBOUND_LISTEN_ADDR: '127.0.0.1:0',
      PROXY_OUTBOUND_LISTEN_ADDR: '127.0.0.1:0',
      PROXY_ADMIN_LISTEN_ADDR: '127.0.0.1:0',
      PROXY_TAP_LISTEN_ADDR: '127.0.0.1:0',
      PROXY_LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const addresses = await new Promise<ProxyProcess['addresses']>((resolve, reject) => {
    // Never left running when it does not come up: the test that started it cannot stop it otherwise. (Only then:
    // once ready it runs until the test kills it, however long the test.)
    const notReady = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('proxy not ready within 15 s'));
    }, 15_000).unref();
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; addresses?: ProxyProcess['addresses'] };
        if (entry.msg === 'proxy ready' && entry.addresses) {
          clearTimeout(notReady);
          resolve(entry.addresses);
        }
      } catch {
        // Not a log line of ours.
      }
    });
    void exited.then((code) => reject(new Error(`proxy exited early with ${code}`)));
  });
  return {
    child,
    addresses,
    exited,
    rss: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) * 1024;
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
