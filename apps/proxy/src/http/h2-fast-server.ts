import type { Socket } from 'node:net';
import type { Accepted } from '../accept/listener.js';
import { whenClosed } from '../core/body-close.js';
import { ExchangeSignal } from '../core/exchange-signal.js';
import type { HttpTarget, ProxyRequest, ProxyResponse, Stage } from '../core/stage.js';
import { ProxyError } from '../errors/proxy-error.js';
import { answerH2Failure, writeH2ErrorResponse } from '../errors/respond.js';
import { ErrorCode } from '../h2/frame.js';
import { H2ServerSession, type ServerSessionHandler } from '../h2/server-session.js';
import type { H2ServerStream } from '../h2/server-stream.js';
import { InFlight } from '../lifecycle/in-flight.js';
import { authorityLabel } from './authority.js';
import { h2Fields, NO_BODY_STATUSES, sendableFields } from './h2-headers.js';
import { pump } from './h2-pump.js';
import { resetCounter } from './h2-reset-limit.js';
import type { H2Options, H2Stage } from './h2-server.js';
import { MAX_HEADER_BYTES } from './limits.js';

const STREAM_WINDOW_BYTES = 1024 * 1024;
const SESSION_WINDOW_BYTES = 8 * 1024 * 1024;

/**
 * The HTTP/2 stage on the proxy's own server sessions (src/h2/server-session.ts): the same contract as the stage on
 * Node's http2 server (each stream one request through the stack, flow control end to end, trailers both ways, a
 * reset on either side resets the other, the rapid-reset limit), without Node's session and stream objects.
 */
export function serveH2Fast(next: Stage<HttpTarget>, options: H2Options): H2Stage {
  const { direction } = options;
  const sessions = new Set<H2ServerSession>();
  const inFlight = new InFlight();
  let draining = false;

  /** One per connection: what the session calls back, so streams need no listeners of their own. */
  class Connection implements ServerSessionHandler {
    readonly session: H2ServerSession;
    private readonly countReset: () => void;

    constructor(
      socket: Socket,
      private readonly conn: Accepted,
    ) {
      this.session = new H2ServerSession(
        socket,
        {
          maxConcurrentStreams: options.maxConcurrentStreams,
          maxHeaderListSize: MAX_HEADER_BYTES,
          streamWindow: STREAM_WINDOW_BYTES,
          sessionWindow: SESSION_WINDOW_BYTES,
        },
        this,
      );
      const { session } = this;
      const log = conn.log;
      this.countReset = resetCounter(
        {
          get destroyed() {
            return session.destroyed;
          },
          calm: () => session.destroy(ErrorCode.ENHANCE_YOUR_CALM),
        },
        options.resetLimit,
        log,
      );
    }

    request(stream: H2ServerStream, fields: string[], endStream: boolean): void {
      inFlight.enter();
      const { conn } = this;
      const { head } = stream;
      const signal = new ExchangeSignal();
      stream.signal = signal;
      const target: HttpTarget = { direction, authority: authorityLabel(head.authority), logical: conn.logical, original: conn.original, tls: conn.tls };
      const request: ProxyRequest = {
        version: 'h2',
        method: head.method,
        path: head.path,
        authority: head.authority,
        headers: regularFields(fields),
        peer: conn.peer,
        body: stream,
        bodyless: endStream,
        trailers: () => stream.trailers,
        grpc: head.contentType.startsWith('application/grpc'),
        upgrade: undefined,
        sendContinue: undefined,
        receivedAt: performance.now(),
        signal,
        log: conn.log,
      };
      next(target, request).then(
        (response) => relay(stream, request, response),
        (thrown: unknown) => answerH2Failure(thrown, request, stream),
      );
    }

    streamClosed(stream: H2ServerStream): void {
      // Reset by the client before our answer was complete (rapid-reset accounting).
      if (stream.resetByPeer && !stream.localEnded) this.countReset();
      // Closed before our answer was complete, or reset: the client left (or its connection died).
      if (!stream.localEnded || stream.rstCode !== ErrorCode.NO_ERROR) stream.signal?.abort(new ProxyError('client_reset'));
      inFlight.leave();
    }

    closed(): void {
      sessions.delete(this.session);
    }
  }

  return {
    handle: (socket, conn) => {
      const { session } = new Connection(socket, conn);
      if (session.destroyed) return;
      sessions.add(session);
      if (draining) session.close();
    },
    drain: () => {
      draining = true;
      // GOAWAY: no new streams, and every open one may finish.
      for (const session of sessions) session.close();
      return inFlight.idle();
    },
    close: () => {
      for (const session of [...sessions]) session.destroy();
    },
  };
}

/**
 * The request's regular fields, taken in place from the decoded list (no copy): requestHead has refused upper-case
 * names, connection-specific fields and any `te` but trailers, so what h2Fields would drop is only the
 * pseudo-headers and `host` (:authority stands for it).
 */
function regularFields(fields: string[]): string[] {
  let kept = 0;
  for (let i = 0; i < fields.length; i += 2) {
    const name = fields[i] as string;
    if (name.charCodeAt(0) === 0x3a || name === 'host') continue;
    fields[kept] = name;
    fields[kept + 1] = fields[i + 1] as string;
    kept += 2;
  }
  fields.length = kept;
  return fields;
}

/** Streams the upstream answer onto the client's stream; a body cut short resets the stream. */
function relay(stream: H2ServerStream, request: ProxyRequest, response: ProxyResponse): void {
  const { body } = response;
  if (stream.gone) {
    body.resume();
    return;
  }
  // The upstream's own Date (if any) is relayed; a proxy adds none.
  const fields = h2Fields(response.headers, [':status', String(response.status)]);
  if (!sendableFields(fields)) {
    // The upstream sent something that cannot be written back (e.g. control characters in a value).
    const error = new ProxyError('protocol_error', { message: 'the response head cannot be sent over HTTP/2' });
    body.destroy(error);
    writeH2ErrorResponse(stream, error.kind, request.grpc);
    return;
  }
  if (response.bodyless || request.method === 'HEAD' || NO_BODY_STATUSES.has(response.status)) {
    // Trailers-only answers (most gRPC errors) must end with their headers: gRPC clients read the status there.
    stream.respond(fields, true);
    body.resume();
    return;
  }
  stream.respond(fields, false, response);
  whenClosed(body, () => {
    if (!body.readableEnded) stream.reset(ErrorCode.INTERNAL_ERROR);
  });
  pump(body, stream);
}
