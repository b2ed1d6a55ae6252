import { once } from 'node:events';
import http2, { type Http2Server, type ServerHttp2Stream } from 'node:http2';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { H2ClientSession } from './client-session.js';
import type { H2ClientStream } from './client-stream.js';

/**
 * The proxy's own HTTP/2 client against Node's HTTP/2 server (nghttp2) over real loopback sockets: concurrency
 * limits, flow control both ways, trailers, resets and GOAWAY.
 */
const servers: Http2Server[] = [];
const sessions: H2ClientSession[] = [];

afterEach(async () => {
  for (const session of sessions.splice(0)) session.destroy();
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

async function upstream(
  onStream: (stream: ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => void,
  settings: http2.Settings = {},
): Promise<H2ClientSession> {
  const server = http2.createServer({ settings });
  server.on('stream', onStream);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const session = new H2ClientSession(net.connect(port, '127.0.0.1'), {
    maxHeaderListSize: 65_536,
    streamWindow: 1024 * 1024,
    sessionWindow: 8 * 1024 * 1024,
  });
  sessions.push(session);
  return session;
}

interface Answer {
  status: number;
  fields: string[];
  body: Buffer;
  trailers: readonly string[];
  stream: H2ClientStream;
}

function get(session: H2ClientSession, path: string, body?: Buffer, trailers: string[] = []): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const fields = [':method', body ? 'POST' : 'GET', ':scheme', 'http', ':authority', 'test', ':path', path];
    const stream = session.request(fields, !body, () => trailers, (status, headers) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.once('end', () => resolve({ status, fields: headers, body: Buffer.concat(chunks), trailers: stream.trailers, stream }));
    });
    stream.once('close', () => {
      if (stream.errored) reject(stream.errored);
    });
    if (body) {
      stream.write(body);
      stream.end();
    }
  });
}

const echo = (stream: ServerHttp2Stream): void => {
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  stream.once('end', () => {
    stream.respond({ ':status': 200, 'x-got': String(Buffer.concat(chunks).length) }, { waitForTrailers: true });
    stream.once('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0', 'x-sum': String(chunks.length) }));
    stream.end(Buffer.concat(chunks));
  });
};

describe('H2ClientSession', () => {
  it('carries headers, bodies and trailers both ways, request trailers included', async () => {
    let received: http2.IncomingHttpHeaders | undefined;
    const session = await upstream((stream) => {
      stream.once('trailers', (t) => {
        received = t;
      });
      echo(stream);
    });
    const answer = await get(session, '/echo', Buffer.from('hello'), ['x-request-trailer', 'yes']);
    expect(answer.status).toBe(200);
    expect(answer.fields).toContain('x-got');
    expect(answer.body.toString()).toBe('hello');
    expect(answer.trailers).toEqual(expect.arrayContaining(['grpc-status', '0']));
    expect(received?.['x-request-trailer']).toBe('yes');
  });

  it("queues streams beyond the upstream's SETTINGS_MAX_CONCURRENT_STREAMS and runs them all", async () => {
    let open = 0;
    let most = 0;
    const session = await upstream(
      (stream) => {
        open += 1;
        most = Math.max(most, open);
        stream.once('close', () => {
          open -= 1;
        });
        // Held long enough that a second stream allowed at once is surely open at the same time.
        setTimeout(() => stream.respond({ ':status': 204 }, { endStream: true }), 100);
      },
      { maxConcurrentStreams: 2 },
    );
    await get(session, '/first'); // the upstream's SETTINGS have arrived by the time it answers
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => get(session, `/${i}`)));
    expect(answers.map((a) => a.status)).toEqual(new Array(8).fill(204));
    expect(most).toBe(2);
  });

  it('sends a large body within a small upstream window, and stops reading a response nobody reads', async () => {
    const session = await upstream(echo, { initialWindowSize: 1_000 });
    const big = Buffer.alloc(300_000, 7);
    const answer = await get(session, '/big', big);
    expect(answer.body.equals(big)).toBe(true);

    const flood = await upstream((stream) => {
      stream.respond({ ':status': 200 });
      const chunk = Buffer.alloc(64 * 1024, 1);
      const write = (): void => {
        while (!stream.destroyed && stream.write(chunk)) {
          /* until the client's window closes */
        }
      };
      write();
      stream.on('drain', write);
    });
    const paused = await new Promise<H2ClientStream>((resolve) => {
      const stream = flood.request([':method', 'GET', ':scheme', 'http', ':authority', 'test', ':path', '/'], true, () => [], () =>
        resolve(stream),
      );
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Nobody reads: the upstream may send the stream window (1 MiB) and no more.
    expect(paused.readableLength).toBeLessThanOrEqual(1024 * 1024);
    expect(paused.readableLength).toBeGreaterThan(0);
    paused.destroy();
  });

  it('fails a stream the upstream resets and keeps the session for the next request', async () => {
    const session = await upstream((stream, headers) => {
      stream.on('error', () => {});
      if (headers[':path'] === '/reset') {
        stream.respond({ ':status': 200 });
        stream.write('partial');
        // destroy(), not close(): close() would end the body first (see http/h2-reset.ts).
        setTimeout(() => stream.destroy(new Error('app failed mid-body')), 20);
      } else stream.respond({ ':status': 204 }, { endStream: true });
    });
    await expect(get(session, '/reset')).rejects.toMatchObject({ code: 'ERR_HTTP2_STREAM_ERROR' });
    expect((await get(session, '/ok')).status).toBe(204);
  });

  it('resets the upstream stream with CANCEL when the response body is destroyed', async () => {
    let code: number | undefined;
    const closed = new Promise<void>((resolve) => {
      void upstream((stream) => {
        stream.respond({ ':status': 200 });
        stream.write('first');
        stream.once('close', () => {
          code = stream.rstCode;
          resolve();
        });
      }).then((session) => {
        const stream = session.request([':method', 'GET', ':scheme', 'http', ':authority', 't', ':path', '/'], true, () => [], () =>
          stream.destroy(),
        );
      });
    });
    await closed;
    expect(code).toBe(http2.constants.NGHTTP2_CANCEL);
  });

  it('on GOAWAY takes no new streams and lets the open one finish', async () => {
    let serverSession: http2.ServerHttp2Session | undefined;
    const session = await upstream((stream) => {
      serverSession = stream.session as http2.ServerHttp2Session;
      setTimeout(() => stream.respond({ ':status': 200 }, { endStream: true }), 100);
    });
    const pending = get(session, '/slow');
    await new Promise((resolve) => setTimeout(resolve, 30));
    serverSession?.close();
    await once(session, 'goaway');
    expect(() => session.request([':method', 'GET'], true, () => [], () => {})).toThrow(/closing/);
    expect((await pending).status).toBe(200);
  });

  it('fails its streams with the socket error when the endpoint refuses the connection', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const session = new H2ClientSession(net.connect(port, '127.0.0.1'), {
      maxHeaderListSize: 65_536,
      streamWindow: 65_535,
      sessionWindow: 65_535,
    });
    sessions.push(session);
    await expect(get(session, '/')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
