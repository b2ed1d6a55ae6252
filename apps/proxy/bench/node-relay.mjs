// The floor Node itself sets: a byte relay on `net` sockets, one upstream connection per client connection, no
// HTTP parsing, no metrics. `node node-relay.mjs <listen port> <upstream host:port>`; prints "ready" once bound.
// The benchmark runs it beside the proxy so the report can say how much of the proxy's cost is Node's own I/O.
import net from 'node:net';

const [listenPort, upstream] = process.argv.slice(2);
const colon = upstream.lastIndexOf(':');
const host = upstream.slice(0, colon);
const port = Number(upstream.slice(colon + 1));

net
  .createServer((client) => {
    const server = net.connect(port, host);
    client.pipe(server).on('error', () => client.destroy());
    server.pipe(client).on('error', () => server.destroy());
    client.on('error', () => server.destroy());
    server.on('error', () => client.destroy());
  })
  .listen(Number(listenPort), '127.0.0.1', () => process.stdout.write('ready\n'));
