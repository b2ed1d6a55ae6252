import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Upstream {
  readonly addr: string;
  readonly port: number;
  /** Distinct client connections the upstream has seen. */
  readonly connections: Set<Socket>;
  readonly requests: { method: string; url: string; headers: IncomingHttpHeaders }[];
  /** The server itself, for tests that need its other events ('upgrade', 'checkContinue'). */
  readonly server: http.Server;
  close(): Promise<void>;
}

/** A real HTTP server on a free loopback port, standing in for the application behind a proxy. */
export async function startUpstream(
  handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end('ok'),
  options: http.ServerOptions = {},
): Promise<Upstream> {
  const connections = new Set<Socket>();
  const requests: Upstream['requests'] = [];
  const server = http.createServer(options, (req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    handler(req, res);
  });
  server.on('connection', (socket) => connections.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    addr: `127.0.0.1:${port}`,
    port,
    connections,
    requests,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly trailers: NodeJS.Dict<string>;
  readonly body: Buffer;
}

export interface SendOptions {
  method?: string;
  path?: string;
  headers?: http.OutgoingHttpHeaders;
  body?: Buffer | string | AsyncIterable<Buffer>;
  agent?: http.Agent;
  /** Aborting it destroys the request: a client that leaves. */
  signal?: AbortSignal | undefined;
}

/** Sends one request to a proxy listener and collects the whole answer. */
export function send(address: string, options: SendOptions = {}): Promise<Reply> {
  const [host, port] = splitAddr(address);
  return new Promise<Reply>((resolve, reject) => {
    const req = http.request(
      { host, port, method: options.method ?? 'GET', path: options.path ?? '/', headers: options.headers, agent: options.agent ?? false, signal: options.signal },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, trailers: res.trailers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    const { body } = options;
    if (body === undefined) req.end();
    else if (typeof body === 'string' || Buffer.isBuffer(body)) req.end(body);
    else
      void (async () => {
        for await (const chunk of body) {
          if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
        }
        req.end();
      })().catch(reject);
  });
}

export function splitAddr(address: string): [string, number] {
  const i = address.lastIndexOf(':');
  return [address.slice(0, i), Number(address.slice(i + 1))];
}

/** Fetches a URL path from the admin server as text. */
export async function getText(address: string, path: string): Promise<{ status: number; text: string }> {
  const reply = await send(address, { path });
  return { status: reply.status, text: reply.body.toString('utf8') };
}

/** Polls until `check` passes or the deadline expires (then rethrows its last failure). */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
