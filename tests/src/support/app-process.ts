import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * An app replica in a process of its own (so kill -9 kills only it): answers 200 "ok <name>" after `delayMs`, and
 * GET /__received with how many other requests it has received.
 */
const SCRIPT = `
const http = require('node:http');
const [name, delay] = process.argv.slice(1);
let received = 0;
const server = http.createServer((req, res) => {
  if (req.url === '/__received') return res.end(String(received));
  received += 1;
  req.resume();
  req.on('end', () => setTimeout(() => res.end('ok ' + name), Number(delay)));
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

export interface AppProcess {
  readonly child: ChildProcess;
  readonly addr: string;
  readonly exited: Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function spawnApp(name: string, delayMs = 2): Promise<AppProcess> {
  const child = spawn(process.execPath, ['-e', SCRIPT, name, String(delayMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(Number(line)));
    void exited.then(() => reject(new Error(`app ${name} exited before listening`)));
  });
  return {
    child,
    addr: `127.0.0.1:${port}`,
    exited,
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
