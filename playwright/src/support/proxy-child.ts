import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The built proxy (the specs run after `npx turbo run build`). */
const PROXY_BIN = fileURLToPath(new URL('../../../apps/proxy/dist/main.js', import.meta.url));
const READY_TIMEOUT_MS = 15_000;

export interface ProxyChild {
  readonly addresses: { inbound: string; outbound: string; admin: string; tap: string };
  /** SIGKILL if still running, and wait for the exit. */
  kill(): Promise<void>;
}

/** A real meshviz-proxy with every listener on a free loopback port, once it has logged "proxy ready". */
export async function spawnProxyChild(env: Record<string, string>): Promise<ProxyChild> {
  const child: ChildProcess = spawn(process.execPath, [PROXY_BIN], {
    env: {
      PATH: process.env.PATH ?? '',
      PROXY_INBOUND_LISTEN_ADDR: '127.0.0.1:0',
      PROXY_OUTBOUND_LISTEN_ADDR: '127.0.0.1:0',
      PROXY_ADMIN_LISTEN_ADDR: '127.0.0.1:0',
      PROXY_TAP_LISTEN_ADDR: '127.0.0.1:0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const addresses = await new Promise<ProxyChild['addresses']>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        try {
          const entry = JSON.parse(line) as { msg?: string; addresses?: ProxyChild['addresses'] };
          if (entry.msg === 'proxy ready' && entry.addresses) resolve(entry.addresses);
        } catch {
          // Not a log line of ours.
        }
      });
      void exited.then(() => reject(new Error(`the proxy exited before it was ready (${child.exitCode ?? child.signalCode})`)));
      timer = setTimeout(() => reject(new Error(`the proxy was not ready within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    });
    return { addresses, kill };
  } catch (err) {
    await kill();
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
