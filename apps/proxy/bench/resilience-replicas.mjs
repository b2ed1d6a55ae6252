// Replicas of one service for the resilience benchmark, in a process of their own (forked by resilience.mjs, which
// drives them over IPC): each answers 200 after 5 ms, unless told to be bad — killed (nothing listens), stalled
// (accepts and never answers), failing (every second request 503) or slow (10× the service time).
import http from 'node:http';

const SERVICE_MS = 5;
const replicas = [];

function serve(replica) {
  const server = http.createServer((req, res) => {
    req.resume();
    replica.received += 1;
    const n = replica.received;
    if (replica.mode === 'stalled') {
      replica.held.add(res);
      res.on('close', () => replica.held.delete(res));
      return;
    }
    const failing = replica.mode === 'failing' && n % 2 === 0;
    const delay = replica.mode === 'slow' ? SERVICE_MS * 10 : SERVICE_MS;
    setTimeout(() => {
      res.writeHead(failing ? 503 : 200, { 'content-type': 'text/plain' });
      res.end(failing ? 'failing\n' : 'ok\n');
    }, delay);
  });
  server.keepAliveTimeout = 60_000;
  replica.sockets = new Set();
  server.on('connection', (socket) => {
    replica.sockets.add(socket);
    socket.on('close', () => replica.sockets.delete(socket));
  });
  replica.server = server;
  return new Promise((resolve) => server.listen(replica.port, '127.0.0.1', () => resolve(server.address().port)));
}

async function start(count) {
  for (let i = 0; i < count; i++) {
    const replica = { port: 0, mode: 'healthy', received: 0, held: new Set() };
    replica.port = await serve(replica);
    replicas.push(replica);
  }
  return replicas.map((r) => r.port);
}

async function setMode(index, mode) {
  const replica = replicas[index];
  if (replica.mode === 'killed' && mode !== 'killed') await serve(replica);
  for (const res of replica.held) res.destroy();
  replica.held.clear();
  replica.mode = mode;
  if (mode === 'killed') {
    await new Promise((resolve) => {
      replica.server.close(() => resolve());
      for (const socket of replica.sockets) socket.destroy();
    });
  }
}

process.on('message', async (message) => {
  const { id, cmd } = message;
  let result;
  if (cmd === 'start') result = await start(message.count);
  else if (cmd === 'mode') result = await setMode(message.index, message.mode);
  else if (cmd === 'reset') {
    for (const r of replicas) r.received = 0;
    result = true;
  } else if (cmd === 'counts') result = replicas.map((r) => r.received);
  process.send({ id, result });
});
