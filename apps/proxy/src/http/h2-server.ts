import http2, {
  constants,
  type IncomingHttpHeaders,
  type ServerHttp2Session,
  type ServerHttp2Stream,
  type ServerStreamResponseOptions,
} from 'node:http2';
import type { Direction } from '@meshviz/mesh-types';
import type { Accepted, ConnectionHandler } from '../accept/listener.js';
import { whenClosed } from '../core/body-close.js';
import { ExchangeSignal } from '../core/exchange-signal.js';
import type { HttpTarget, ProxyRequest, ProxyResponse, Stage } from '../core/stage.js';
import { ProxyError } from '../errors/proxy-error.js';
import { answerH2Failure, type H2ErrorSink } from '../errors/respond.js';
import { InFlight } from '../lifecycle/in-flight.js';
import type { Drainable } from '../lifecycle/side.js';
import { authorityLabel } from './authority.js';
import { serveH2Fast } from './h2-fast-server.js';
import { fromH2Headers, h2Fields, NO_BODY_STATUSES, toH2Headers } from './h2-headers.js';
import { pump } from './h2-pump.js';
import { resetStream } from './h2-reset.js';
import { type ResetLimit, resetCounter } from './h2-reset-limit.js';
import { MAX_HEADER_BYTES } from './limits.js';

export interface H2Options {
  readonly direction: Direction;
  /** Serve clients on the proxy's own HTTP/2 framing (src/h2) instead of Node's http2 server. */
  readonly fastServer: boolean;
  /** SETTINGS_MAX_CONCURRENT_STREAMS announced to clients; streams beyond it are refused. */
  readonly maxConcurrentStreams: number;
  readonly resetLimit: ResetLimit;
}

export interface H2Stage extends Drainable {
  readonly handle: ConnectionHandler;
}

const NONE: readonly string[] = [];
/**
 * The upstream's own Date (if any) is relayed; a proxy adds none. Node honours `sendDate` in respond(), though
 * @types/node does not declare it.
 */
const WITH_BODY = { sendDate: false, waitForTrailers: true } as ServerStreamResponseOptions;
const WITHOUT_BODY = { sendDate: false, endStream: true } as ServerStreamResponseOptions;

/**
 * HTTP/2 stage (cleartext, prior knowledge): each stream becomes one request through the same stack as HTTP/1.1.
 * Bodies are pumped both ways with backpressure so flow control applies end to end; trailers pass both ways; a reset on either side
 * resets the other. gRPC is HTTP/2 with trailers, so it needs nothing more.
 */
export function serveH2(next: Stage<HttpTarget>, options: H2Options): H2Stage {
  return options.fastServer ? serveH2Fast(next, options) : serveH2Node(next, options);
}

function serveH2Node(next: Stage<HttpTarget>, options: H2Options): H2Stage {
  const { direction } = options;
  const server = http2.createServer({
    settings: {
      maxConcurrentStreams: options.maxConcurrentStreams,
      maxHeaderListSize: MAX_HEADER_BYTES,
      enablePush: false,
      initialWindowSize: 1024 * 1024,
    },
    maxSessionMemory: 64,
  });
  const sessions = new Set<ServerHttp2Session>();
  const inFlight = new InFlight();
  let draining = false;
  // 'session' fires synchronously inside emit('connection'), so the connection being handed over is known.
  let handing: Accepted | undefined;

  server.on('session', (session: ServerHttp2Session) => {
    const conn = handing;
    if (!conn) return session.destroy();
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
    session.on('error', (error) => conn.log.debug({ err: error }, 'HTTP/2 session error'));
    const calmable = {
      get destroyed() {
        return session.destroyed;
      },
      // A numeric argument makes Node send it as the GOAWAY error code before tearing the session down.
      calm: () => session.destroy(constants.NGHTTP2_ENHANCE_YOUR_CALM as unknown as Error),
    };
    const countReset = resetCounter(calmable, options.resetLimit, conn.log);
    session.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, flags: number, raw: string[]) =>
      onStream(stream, headers, flags, raw, conn, countReset),
    );
    if (draining) session.close();
  });

  function onStream(
    stream: ServerHttp2Stream,
    headers: IncomingHttpHeaders,
    flags: number,
    rawHeaders: string[],
    conn: Accepted,
    countReset: () => void,
  ): void {
    inFlight.enter();
    const signal = new ExchangeSignal();
    stream.on('error', () => {});
    stream.once('close', () => {
      // Aborted: closed while our side was still open (rapid-reset accounting).
      if (stream.aborted) countReset();
      // Closed before our answer was complete: the client reset it (or its connection died).
      if (!stream.writableFinished || stream.rstCode !== constants.NGHTTP2_NO_ERROR) {
        signal.abort(new ProxyError('client_reset'));
      }
      inFlight.leave();
    });
    let trailers = NONE;
    stream.once('trailers', (received: IncomingHttpHeaders) => {
      trailers = fromH2Headers(received);
    });

    const authority = String(headers[':authority'] ?? headers.host ?? '');
    const contentType = headers['content-type'];
    const target: HttpTarget = { direction, authority: authorityLabel(authority), logical: conn.logical, original: conn.original, tls: conn.tls };
    const request: ProxyRequest = {
      version: 'h2',
      method: String(headers[':method'] ?? 'GET'),
      path: String(headers[':path'] ?? '/'),
      authority,
      headers: h2Fields(rawHeaders),
      peer: conn.peer,
      body: stream,
      bodyless: (flags & constants.NGHTTP2_FLAG_END_STREAM) !== 0,
      trailers: () => trailers,
      grpc: typeof contentType === 'string' && contentType.startsWith('application/grpc'),
      upgrade: undefined,
      sendContinue: undefined,
      receivedAt: performance.now(),
      signal,
      log: conn.log,
    };
    next(target, request).then(
      (response) => relayH2(stream, request, response),
      (thrown: unknown) => answerH2Failure(thrown, request, errorSink(stream)),
    );
  }

  return {
    handle: (socket, conn) => {
      handing = conn;
      try {
        server.emit('connection', socket);
      } finally {
        handing = undefined;
      }
    },
    drain: () => {
      draining = true;
      // GOAWAY: no new streams, and every open one may finish.
      for (const session of sessions) session.close();
      return inFlight.idle();
    },
    close: () => {
      for (const session of sessions) session.destroy();
      server.close();
    },
  };
}

/** Node's stream as the error answer sees it. */
function errorSink(stream: ServerHttp2Stream): H2ErrorSink {
  return {
    gone: stream.destroyed || stream.closed,
    headersSent: stream.headersSent,
    answer: (fields, body) => {
      stream.respond(toH2Headers(fields), { endStream: body === undefined });
      if (body !== undefined) stream.end(body);
    },
    reset: (code) => resetStream(stream, code),
  };
}

/** Streams the upstream answer onto the client's stream; a body cut short resets the stream. */
function relayH2(stream: ServerHttp2Stream, request: ProxyRequest, response: ProxyResponse): void {
  const { body } = response;
  if (stream.destroyed || stream.closed) {
    body.resume();
    return;
  }
  const headers = toH2Headers(h2Fields(response.headers), { ':status': response.status });
  if (response.bodyless || request.method === 'HEAD' || NO_BODY_STATUSES.has(response.status)) {
    // Trailers-only answers (most gRPC errors) must end with their headers: gRPC clients read the status there.
    stream.respond(headers, WITHOUT_BODY);
    body.resume();
    return;
  }
  stream.respond(headers, WITH_BODY);
  stream.once('wantTrailers', () => stream.sendTrailers(toH2Headers(h2Fields(response.trailers()))));
  whenClosed(body, () => {
    if (!body.readableEnded) resetStream(stream, constants.NGHTTP2_INTERNAL_ERROR);
  });
  pump(body, stream);
}
