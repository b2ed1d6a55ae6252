import { once } from 'node:events';
import http2 from 'node:http2';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, Flag, FrameReader, FrameType, frame, PREFACE, Setting, settingsFrame, windowUpdateFrame } from './frame.js';
import { HpackDecoder, HpackEncoder } from './hpack.js';
import { H2ServerSession, type ServerSessionHandler } from './server-session.js';
import type { H2ServerStream } from './server-stream.js';

/**
 * The proxy's own HTTP/2 server session on real loopback sockets, against Node's HTTP/2 client and hand-built
 * frames: preface, flow control both ways, trailers, the concurrent-stream limit, CONTINUATION, malformed
 * requests, and a client that never reads.
 */
type OnRequest = (stream: H2ServerStream, fields: string[], endStream: boolean) => void;

const servers: net.Server[] = [];
const clients: { destroy(): void }[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

interface Served {
  port: number;
  closed: H2ServerStream[];
  sessions: H2ServerSession[];
}

async function serve(onRequest: OnRequest, maxConcurrentStreams = 100): Promise<Served> {
  const served: Served = { port: 0, closed: [], sessions: [] };
  const server = net.createServer((socket) => {
    const handler: ServerSessionHandler = {
      request: onRequest,
      streamClosed: (stream) => served.closed.push(stream),
      closed: () => {},
    };
    served.sessions.push(
      new H2ServerSession(socket, { maxConcurrentStreams, maxHeaderListSize: 65_536, streamWindow: 1024 * 1024, sessionWindow: 8 * 1024 * 1024 }, handler),
    );
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  served.port = (server.address() as net.AddressInfo).port;
  return served;
}

function nodeClient(port: number, settings: http2.Settings = {}): http2.ClientHttp2Session {
  const session = http2.connect(`http://127.0.0.1:${port}`, { settings });
  session.on('error', () => {});
  clients.push(session);
  return session;
}

interface Frame {
  type: number;
  flags: number;
  id: number;
  payload: Buffer;
}

/** A raw client: writes bytes, collects the server's frames (after checking its SETTINGS come first). */
function rawClient(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {});
  clients.push(socket);
  const frames: Frame[] = [];
  const reader = new FrameReader(1 << 24, (type, flags, id, payload) => frames.push({ type, flags, id, payload: Buffer.from(payload) }));
  socket.on('data', (chunk: Buffer) => reader.push(chunk));
  const closed = once(socket, 'close');
  const until = async (test: (frames: Frame[]) => boolean, ms = 2_000): Promise<void> => {
    const started = Date.now();
    while (!test(frames)) {
      if (Date.now() - started > ms) throw new Error(`timed out; frames: ${JSON.stringify(frames.map((f) => [f.type, f.flags, f.id]))}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  // Each connection has its own HPACK context.
  const encoder = new HpackEncoder();
  const request = (path: string, extra: string[] = []) =>
    encoder.encode([':method', 'GET', ':scheme', 'http', ':authority', 'test', ':path', path, ...extra]);
  return { socket, frames, until, closed, encoder, request };
}
const hello = (settings: [number, number][] = []) => Buffer.concat([PREFACE, settingsFrame(settings)]);
const isType = (type: number, id?: number) => (f: Frame) => f.type === type && (id === undefined || f.id === id);
const goawayCode = (frames: Frame[]) => frames.find(isType(FrameType.GOAWAY))?.payload.readUInt32BE(4);
const rstCode = (frames: Frame[], id: number) => frames.find(isType(FrameType.RST_STREAM, id))?.payload.readUInt32BE(0);

/** Answers `size` octets of body (written with backpressure), then trailers when asked for. */
function answer(size: number, trailers: string[] = []): OnRequest {
  return (stream) => {
    stream.resume();
    stream.respond([':status', '200'], false, { trailers: () => trailers });
    stream.end(Buffer.alloc(size, 7));
  };
}

describe('H2ServerSession', () => {
  it('refuses a bad preface with GOAWAY PROTOCOL_ERROR and closes', async () => {
    const { port } = await serve(answer(1));
    const client = rawClient(port);
    client.socket.write('PRI * HTTP/1.1\r\n\r\nSM\r\n\r\n');
    await client.closed;
    expect(client.frames[0]?.type).toBe(FrameType.SETTINGS);
    expect(goawayCode(client.frames)).toBe(ErrorCode.PROTOCOL_ERROR);
  });

  it('refuses a frame by its head while its payload is still on the way', async () => {
    const { port } = await serve(answer(1));
    const client = rawClient(port);
    // A SETTINGS frame announcing 7 octets (never a multiple of 6), of which only 2 arrive.
    client.socket.write(Buffer.concat([PREFACE, frame(FrameType.SETTINGS, 0, 0, Buffer.alloc(7)).subarray(0, 11)]));
    await client.until((frames) => frames.some(isType(FrameType.GOAWAY)));
    expect(goawayCode(client.frames)).toBe(ErrorCode.FRAME_SIZE_ERROR);
  });

  it('announces its SETTINGS first and answers PING and SETTINGS', async () => {
    const { port } = await serve(answer(1), 7);
    const client = rawClient(port);
    client.socket.write(Buffer.concat([hello(), frame(FrameType.PING, 0, 0, Buffer.from('12345678'))]));
    await client.until((frames) => frames.some(isType(FrameType.PING)) && frames.some((f) => f.type === FrameType.SETTINGS && f.flags === Flag.ACK));
    const first = client.frames[0] as Frame;
    expect(first.type).toBe(FrameType.SETTINGS);
    const settings = new Map<number, number>();
    for (let o = 0; o < first.payload.length; o += 6) settings.set(first.payload.readUInt16BE(o), first.payload.readUInt32BE(o + 2));
    expect(settings.get(Setting.MAX_CONCURRENT_STREAMS)).toBe(7);
    expect(settings.get(Setting.ENABLE_PUSH)).toBe(0);
    expect(settings.get(Setting.INITIAL_WINDOW_SIZE)).toBe(1024 * 1024);
    expect(client.frames.find(isType(FrameType.PING))?.payload.toString()).toBe('12345678');
  });

  it('sends no more than the client window allows, and resumes on WINDOW_UPDATE', async () => {
    const { port } = await serve(answer(1_000));
    const client = rawClient(port);
    client.socket.write(Buffer.concat([hello([[Setting.INITIAL_WINDOW_SIZE, 100]]), frame(FrameType.HEADERS, Flag.END_HEADERS | Flag.END_STREAM, 1, client.request('/'))]));
    const data = () => client.frames.filter(isType(FrameType.DATA, 1));
    const sent = () => data().reduce((n, f) => n + f.payload.length, 0);
    await client.until(() => sent() === 100);
    await new Promise((r) => setTimeout(r, 100));
    expect(sent()).toBe(100);
    client.socket.write(windowUpdateFrame(1, 900));
    await client.until(() => data().some((f) => f.flags & Flag.END_STREAM));
    expect(sent()).toBe(1_000);
  });

  it('carries request and response trailers, and a large request body under flow control', async () => {
    const { port } = await serve((stream) => {
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
      });
      stream.on('end', () => {
        stream.respond([':status', '200'], false, { trailers: () => ['x-size', String(size), 'x-echo', stream.trailers[1] ?? ''] });
        stream.end('done');
      });
    });
    const session = nodeClient(port);
    const req = session.request({ ':method': 'POST', ':path': '/' }, { waitForTrailers: true });
    req.on('wantTrailers', () => req.sendTrailers({ 'x-client': 'hello' }));
    // Over the 1 MiB stream window: the server must give credit back as the body is read.
    req.end(Buffer.alloc(3 * 1024 * 1024, 1));
    const [trailers] = (await once(req, 'trailers')) as [http2.IncomingHttpHeaders];
    expect(trailers['x-size']).toBe(String(3 * 1024 * 1024));
    expect(trailers['x-echo']).toBe('hello');
  });

  it('refuses streams over SETTINGS_MAX_CONCURRENT_STREAMS with REFUSED_STREAM, and a client that keeps trying', async () => {
    const served = await serve(() => {}, 2);
    const client = rawClient(served.port);
    const open = (id: number) => frame(FrameType.HEADERS, Flag.END_HEADERS, id, client.request(`/${id}`));
    client.socket.write(Buffer.concat([hello(), open(1), open(3), open(5)]));
    await client.until((frames) => frames.some(isType(FrameType.RST_STREAM, 5)));
    expect(rstCode(client.frames, 5)).toBe(ErrorCode.REFUSED_STREAM);
    expect(client.frames.some(isType(FrameType.RST_STREAM, 1))).toBe(false);
    // One that goes on opening streams it is refused is cut off.
    client.socket.write(Buffer.concat(Array.from({ length: 100 }, (_, i) => open(7 + 2 * i))));
    await client.until((frames) => frames.some(isType(FrameType.GOAWAY)));
    expect(goawayCode(client.frames)).toBe(ErrorCode.ENHANCE_YOUR_CALM);
    expect(client.frames.filter(isType(FrameType.RST_STREAM)).length).toBe(100);
  });

  it('joins HEADERS and CONTINUATION, and fails the connection when another frame interrupts them', async () => {
    const { port } = await serve(answer(2));
    const client = rawClient(port);
    const block = client.request('/continued', ['x-long', 'v'.repeat(100)]);
    client.socket.write(
      Buffer.concat([
        hello(),
        frame(FrameType.HEADERS, Flag.END_STREAM, 1, block.subarray(0, 10)),
        frame(FrameType.CONTINUATION, 0, 1, block.subarray(10, 50)),
        frame(FrameType.CONTINUATION, Flag.END_HEADERS, 1, block.subarray(50)),
      ]),
    );
    await client.until((frames) => frames.some(isType(FrameType.HEADERS, 1)));
    const head = new HpackDecoder({ maxTableSize: 4096, maxListSize: 65_536 }).decode(client.frames.find(isType(FrameType.HEADERS, 1))?.payload as Buffer);
    expect(head.slice(0, 2)).toEqual([':status', '200']);

    const broken = rawClient(port);
    const part = broken.request('/continued').subarray(0, 10);
    broken.socket.write(
      Buffer.concat([hello(), frame(FrameType.HEADERS, Flag.END_STREAM, 1, part), frame(FrameType.PING, 0, 0, Buffer.alloc(8))]),
    );
    await broken.until((frames) => frames.some(isType(FrameType.GOAWAY)));
    expect(goawayCode(broken.frames)).toBe(ErrorCode.PROTOCOL_ERROR);
  });

  it('resets malformed requests, fails the connection on HPACK errors and on stream ids going back', async () => {
    const seen: string[] = [];
    const { port } = await serve((stream, fields) => {
      seen.push(fields[5] ?? '');
      answer(1)(stream, fields, true);
    });
    const client = rawClient(port);
    const bad = (id: number, fields: string[], to = client) => frame(FrameType.HEADERS, Flag.END_HEADERS | Flag.END_STREAM, id, to.encoder.encode(fields));
    const base = [':method', 'GET', ':scheme', 'http', ':path', '/x'];
    client.socket.write(
      Buffer.concat([
        hello(),
        bad(1, [...base, 'Upper', 'x']),
        bad(3, [...base, 'connection', 'close']),
        bad(5, [':method', 'GET', ':path', '/x']),
        bad(7, [...base, 'x-a', 'b', ':authority', 'late']),
        bad(9, [...base, 'te', 'gzip']),
        bad(11, [...base, 'x-ok', 'fine']),
      ]),
    );
    await client.until((frames) => frames.some(isType(FrameType.HEADERS, 11)));
    expect([1, 3, 5, 7, 9].map((id) => rstCode(client.frames, id))).toEqual(Array(5).fill(ErrorCode.PROTOCOL_ERROR));
    expect(seen).toEqual(['/x']);

    const hpack = rawClient(port);
    hpack.socket.write(Buffer.concat([hello(), frame(FrameType.HEADERS, Flag.END_HEADERS, 1, Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]))]));
    await hpack.until((frames) => frames.some(isType(FrameType.GOAWAY)));
    expect(goawayCode(hpack.frames)).toBe(ErrorCode.COMPRESSION_ERROR);

    const backwards = rawClient(port);
    backwards.socket.write(Buffer.concat([hello(), bad(5, [...base], backwards), frame(FrameType.HEADERS, Flag.END_HEADERS, 3, backwards.request('/'))]));
    await backwards.until((frames) => frames.some(isType(FrameType.GOAWAY)));
    expect(goawayCode(backwards.frames)).toBe(ErrorCode.PROTOCOL_ERROR);
  });

  it('tells the handler when the client resets a stream', async () => {
    const served = await serve((stream) => stream.resume());
    const client = rawClient(served.port);
    client.socket.write(Buffer.concat([hello(), frame(FrameType.HEADERS, Flag.END_HEADERS, 1, client.request('/'))]));
    await new Promise((r) => setTimeout(r, 50));
    const rst = Buffer.alloc(4);
    rst.writeUInt32BE(ErrorCode.CANCEL);
    client.socket.write(frame(FrameType.RST_STREAM, 0, 1, rst));
    await client.until(() => served.closed.length === 1);
    expect(served.closed[0]?.resetByPeer).toBe(true);
    expect(served.closed[0]?.rstCode).toBe(ErrorCode.CANCEL);
  });

  it('does not buffer without bound for a client that never reads, however large its windows', async () => {
    let accepted = 0;
    const { port } = await serve((stream) => {
      stream.respond([':status', '200'], false);
      const block = Buffer.alloc(64 * 1024);
      const more = (): void => {
        while (!stream.gone) {
          accepted += block.length;
          if (!stream.write(block)) {
            stream.once('drain', more);
            return;
          }
        }
      };
      more();
    });
    const client = rawClient(port);
    client.socket.write(
      Buffer.concat([
        hello([[Setting.INITIAL_WINDOW_SIZE, 2 ** 31 - 1]]),
        windowUpdateFrame(0, 2 ** 31 - 1 - 65_535),
        frame(FrameType.HEADERS, Flag.END_HEADERS | Flag.END_STREAM, 1, client.request('/')),
      ]),
    );
    await new Promise((r) => setTimeout(r, 100));
    client.socket.pause();
    await new Promise((r) => setTimeout(r, 500));
    const settled = accepted;
    await new Promise((r) => setTimeout(r, 300));
    // What the kernel's socket buffers take, plus our bound; without it this runs into gigabytes.
    expect(accepted).toBe(settled);
    expect(accepted).toBeLessThan(64 * 1024 * 1024);
  });
});
