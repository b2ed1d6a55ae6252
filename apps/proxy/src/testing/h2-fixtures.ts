import http2, {
  type ClientHttp2Session,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
  type ServerHttp2Stream,
} from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';

export interface H2Upstream {
  readonly addr: string;
  /** TCP connections the upstream has accepted (HTTP/2 should need one per client session). */
  readonly connections: Set<Socket>;
  readonly streams: { headers: IncomingHttpHeaders }[];
  close(): Promise<void>;
}

/** A real HTTP/2 cleartext (prior knowledge) server on a free loopback port. */
export async function startH2Upstream(
  handler: (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => void,
): Promise<H2Upstream> {
  const server = http2.createServer();
  const connections = new Set<Socket>();
  const streams: H2Upstream['streams'] = [];
  server.on('connection', (socket: Socket) => connections.add(socket));
  server.on('stream', (stream, headers) => {
    stream.on('error', () => {});
    streams.push({ headers });
    handler(stream, headers);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    addr: `127.0.0.1:${port}`,
    connections,
    streams,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of connections) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface H2Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly trailers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** RST_STREAM code when the stream was reset, else 0. */
  readonly rstCode: number;
}

export interface H2SendOptions {
  headers?: OutgoingHttpHeaders;
  body?: Buffer | string | AsyncIterable<Buffer>;
  trailers?: OutgoingHttpHeaders;
}

/** Opens an HTTP/2 prior-knowledge session to a proxy listener; remember to close() it. */
export function h2Connect(address: string): ClientHttp2Session {
  const session = http2.connect(`http://${address}`);
  session.on('error', () => {});
  return session;
}

/** Sends one request on a session and collects the whole answer, trailers and reset code included. */
export function h2Send(session: ClientHttp2Session, options: H2SendOptions = {}): Promise<H2Reply> {
  const { body, trailers } = options;
  const stream = session.request(
    { ':method': body === undefined ? 'GET' : 'POST', ':path': '/', ...options.headers },
    { endStream: body === undefined && trailers === undefined, waitForTrailers: trailers !== undefined },
  );
  if (trailers) stream.on('wantTrailers', () => stream.sendTrailers(trailers));
  return new Promise<H2Reply>((resolve, reject) => {
    let headers: IncomingHttpHeaders = {};
    let received: IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    stream.on('response', (h) => {
      headers = h;
    });
    stream.on('trailers', (t) => {
      received = t;
    });
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('error', () => {});
    stream.on('close', () => {
      if (headers[':status'] === undefined && stream.rstCode === 0) return reject(new Error('stream closed without a response'));
      resolve({
        status: Number(headers[':status'] ?? 0),
        headers,
        trailers: received,
        body: Buffer.concat(chunks),
        rstCode: stream.rstCode ?? 0,
      });
    });
    if (body === undefined) {
      if (trailers) stream.end();
    } else if (typeof body === 'string' || Buffer.isBuffer(body)) stream.end(body);
    else
      void (async () => {
        for await (const chunk of body) {
          if (!stream.write(chunk)) await new Promise((r) => stream.once('drain', r));
        }
        stream.end();
      })().catch(reject);
  });
}
