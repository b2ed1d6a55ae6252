import net from 'node:net';
import { loadOriginalDst } from '../accept/original-dst.js';

/**
 * Run inside a fresh network namespace whose nat OUTPUT redirects the destination ports given as arguments to
 * the listener port (the first argument): connects to each `host:port` given, and prints, as one JSON line, what
 * the reader said each connection's original destination was (null: not redirected).
 */
const [listenPort, ...targets] = process.argv.slice(2);
const read = await loadOriginalDst();
const seen: unknown[] = [];
const server = net.createServer((socket) => {
  seen.push(read(socket) ?? null);
  socket.end();
});
await new Promise<void>((resolve) => server.listen({ host: '::', port: Number(listenPort) }, resolve));
for (const target of targets) {
  const at = target.lastIndexOf(':');
  await new Promise<void>((resolve, reject) => {
    const client = net.connect({ host: target.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(target.slice(at + 1)) });
    client.on('error', reject);
    client.on('close', () => resolve());
    client.resume();
  });
}
server.close();
process.stdout.write(`${JSON.stringify(seen)}\n`);
