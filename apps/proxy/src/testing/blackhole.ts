import { type ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';

/**
 * An address whose TCP connects hang: a listening socket with backlog 0 that never accepts, its one queue slot
 * already taken. Node always accepts, so the listener is a tiny Python process. Returns null without python3.
 */
export async function startBlackhole(): Promise<{ addr: string; close(): void } | null> {
  const script =
    'import socket,sys,time\ns=socket.socket();s.bind(("127.0.0.1",0));s.listen(0)\n' +
    'print(s.getsockname()[1],flush=True)\ntime.sleep(60)';
  let child: ChildProcess;
  try {
    child = spawn('python3', ['-c', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
  const port = await new Promise<number | null>((resolve) => {
    child.once('error', () => resolve(null));
    child.stdout?.once('data', (data: Buffer) => resolve(Number(data.toString().trim())));
  });
  if (!port) return null;
  const filler = net.connect(port, '127.0.0.1');
  filler.on('error', () => {});
  await new Promise((resolve) => filler.once('connect', resolve));
  return {
    addr: `127.0.0.1:${port}`,
    close: () => {
      filler.destroy();
      child.kill();
    },
  };
}
