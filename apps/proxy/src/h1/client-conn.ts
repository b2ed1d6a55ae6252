import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { PROXY_ERROR_HEADER, type ProxyErrorKind } from '@meshviz/mesh-types';
import type { Accepted } from '../accept/listener.js';
import { ExchangeSignal } from '../core/exchange-signal.js';
import { type HttpTarget, NO_TRAILERS, type ProxyRequest, type ProxyResponse } from '../core/stage.js';
import { ProxyError, toProxyError } from '../errors/proxy-error.js';
import { ERROR_RESPONSES } from '../errors/respond.js';
import { authorityLabel } from '../http/authority.js';
import { stripHopByHop } from '../http/hop-by-hop.js';
import { ChunkedDecoder, lastChunk, writeBodyPiece } from './chunked.js';
import { INCOMPLETE, INVALID, type ParsedHead, parseHead, servedFast } from './head.js';
import { emptyBody, RequestBody } from './request-body.js';
import type { FastServer } from './server.js';
import { hasLength, writableHead, writableText } from './write-head.js';

/**
 * Idle client connections are closed after this long (to a second more: server.ts sweeps once a second), and every
 * answer that leaves the connection open says so (`Keep-Alive: timeout=5`, as Node's server path does): clients
 * that honour it, Node's agent among them, retire an idle connection before the proxy closes it, instead of
 * sending a request onto it as it closes and meeting a reset.
 */
export const KEEP_ALIVE_SECONDS = 5;
const KEEP_ALIVE_HEADER = `Keep-Alive: timeout=${KEEP_ALIVE_SECONDS}\r\n`;

const READ_NONE = 0;
const READ_LENGTH = 1;
const READ_CHUNKED = 2;

/**
 * One client connection on the HTTP/1.1 fast path. Requests are parsed strictly and served one at a time, in
 * order: bytes of a pipelined request wait (and the socket stops reading) until the answer before it is written.
 * Each exchange's state lives on the connection, so a request costs its ProxyRequest, its body stream and the
 * answer's bytes, and no closures. Whatever the strict parser does not take (a malformed or oversized head, an
 * HTTP/1.0 client, Expect, Upgrade, ambiguous framing) is handed, with the connection, to Node's server, which
 * answers it as the proxy always has.
 */
export class ClientConn {
  /** Keep-alive sweeps this connection has been idle through; reset by every exchange. */
  idleSweeps = 0;
  /** An exchange occupies the connection: from its head until its answer is written and its body read. */
  busy = false;
  private dead = false;
  private pending: Buffer | undefined;
  private closeAfter = false;
  private clientEnded = false;
  // The exchange in progress.
  private request: ProxyRequest | undefined;
  private signal: ExchangeSignal | undefined;
  private body: RequestBody | undefined;
  private reading = READ_NONE;
  private remaining = 0;
  private decoder: ChunkedDecoder | undefined;
  private answered = false;
  private response: ProxyResponse | undefined;
  private chunkedOut = false;

  constructor(
    readonly socket: Socket,
    private readonly accepted: Accepted,
    private readonly server: FastServer,
  ) {
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.once('close', this.onClose);
    socket.on('drain', this.onDrain);
  }

  /** Closes the connection if no exchange is on it (drain, keep-alive timeout). */
  closeIfIdle(): void {
    if (!this.busy) this.socket.destroy();
  }

  /** The request body's reader wants more. */
  bodyWanted(): void {
    if (this.reading !== READ_NONE) this.socket.resume();
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.reading !== READ_NONE) {
      this.bodyBytes(chunk, 0);
      return;
    }
    this.pending = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    if (this.busy) {
      this.socket.pause(); // a pipelined request: it waits for the answer before it
      return;
    }
    this.next();
  };

  /** Starts the next request in `pending`, if a whole head is there; hands the connection over otherwise. */
  private next(): void {
    const buf = this.pending;
    if (!buf || buf.length === 0 || this.dead) {
      this.pending = undefined;
      return;
    }
    const head = parseHead(buf, 0, 'request');
    if (head === INCOMPLETE || head === INVALID || !servedFast(head)) {
      this.handOver();
      return;
    }
    this.pending = head.end < buf.length ? buf.subarray(head.end) : undefined;
    this.start(head);
  }

  /** Node's server takes the connection from here on, with the bytes not yet consumed. */
  private handOver(): void {
    const { socket } = this;
    this.dead = true;
    socket.pause();
    socket.off('data', this.onData);
    socket.off('end', this.onEnd);
    socket.off('close', this.onClose);
    socket.off('drain', this.onDrain);
    this.server.forget(this);
    if (this.pending) socket.unshift(this.pending);
    this.pending = undefined;
    this.server.fallback(socket, this.accepted);
  }

  private start(head: ParsedHead): void {
    this.busy = true;
    this.answered = false;
    this.server.inFlight.enter();
    // After the client's FIN, the connection ends with the answer to the last request it sent.
    this.closeAfter = head.close || (this.clientEnded && !this.pending);
    const bodyless = !head.chunked && head.contentLength <= 0;
    // Most requests carry no body, and nothing below reads a body it knows is absent: its stream (a Readable
    // with its end events) is only built if something asks for it.
    let body: Readable | undefined;
    if (!bodyless) {
      const stream = new RequestBody(this);
      stream.on('error', ignore);
      this.body = stream;
      body = stream;
    } else this.body = undefined;
    let trailers = NO_TRAILERS;
    if (bodyless) {
      this.reading = READ_NONE;
    } else if (head.chunked) {
      const decoder = new ChunkedDecoder();
      this.decoder = decoder;
      this.reading = READ_CHUNKED;
      trailers = () => decoder.trailers;
    } else {
      this.reading = READ_LENGTH;
      this.remaining = head.contentLength;
    }
    const signal = new ExchangeSignal();
    this.signal = signal;
    const { accepted } = this;
    const target: HttpTarget = {
      direction: accepted.direction,
      authority: authorityLabel(head.host),
      logical: accepted.logical,
      original: accepted.original,
      tls: accepted.tls,
    };
    const request: ProxyRequest = {
      version: 'http/1.1',
      method: head.a,
      path: head.b,
      authority: head.host,
      headers: stripHopByHop(head.headers, 'request'),
      peer: accepted.peer,
      get body(): Readable {
        if (!body) body = emptyBody();
        return body;
      },
      bodyless,
      trailers,
      grpc: false,
      upgrade: undefined,
      sendContinue: undefined,
      receivedAt: performance.now(),
      signal,
      log: accepted.log,
    };
    this.request = request;
    if (this.reading !== READ_NONE && this.pending) {
      const rest = this.pending;
      this.pending = undefined;
      this.bodyBytes(rest, 0);
    }
    this.server.next(target, request).then(this.onResponse, this.onFailure);
  }

  /** Request body bytes from `at` on; what follows the body is the next request. */
  private bodyBytes(buf: Buffer, at: number): void {
    const body = this.body as RequestBody;
    let end: number;
    if (this.reading === READ_LENGTH) {
      const take = Math.min(this.remaining, buf.length - at);
      this.remaining -= take;
      if (!body.push(at === 0 && take === buf.length ? buf : buf.subarray(at, at + take))) this.socket.pause();
      if (this.remaining > 0) return;
      end = at + take;
    } else {
      const decoder = this.decoder as ChunkedDecoder;
      end = decoder.feed(buf, at, this.pushBody);
      if (end < 0) {
        // Broken chunked framing: nothing after it can be trusted.
        this.socket.destroy();
        return;
      }
      if (!decoder.done) return;
    }
    this.reading = READ_NONE;
    body.push(null);
    if (end < buf.length) {
      const rest = buf.subarray(end);
      this.pending = this.pending ? Buffer.concat([this.pending, rest]) : rest;
      this.socket.pause();
    }
    this.maybeDone();
  }

  private readonly pushBody = (chunk: Buffer): void => {
    if (!this.body?.push(chunk)) this.socket.pause();
  };

  private readonly onResponse = (response: ProxyResponse): void => {
    if (this.dead || !this.request) {
      response.body.destroy(this.signal?.reason ?? new ProxyError('client_reset'));
      return;
    }
    let head: string;
    const { status } = response;
    const noBody = this.request.method === 'HEAD' || status === 204 || status === 304 || status < 200;
    try {
      const reason = response.statusMessage || STATUS_CODES[status] || 'unknown';
      if (!writableText(reason)) throw new ProxyError('protocol_error', { message: 'the status line cannot be written' });
      const headers = stripHopByHop(response.headers, 'response');
      head = writableHead(`HTTP/1.1 ${status} ${reason}\r\n`, headers);
      this.chunkedOut = !noBody && !hasLength(headers);
    } catch (thrown) {
      // The upstream sent something that cannot be written back (e.g. control characters Node's parser accepted).
      const error = toProxyError(thrown, response.destination);
      response.body.destroy(error);
      this.writeError(error.kind);
      return;
    }
    if (this.chunkedOut) head += 'Transfer-Encoding: chunked\r\n';
    if (this.closeAfter || this.server.draining) {
      this.closeAfter = true;
      head += 'Connection: close\r\n';
    } else head += KEEP_ALIVE_HEADER;
    this.response = response;
    const { socket } = this;
    socket.cork();
    socket.write(`${head}\r\n`, 'latin1');
    const { body } = response;
    body.on('data', noBody ? ignore : this.onResponseData);
    // `on`, not `once`: both come once, and maybeDone takes every listener off again.
    body.on('end', this.onResponseEnd);
    body.on('close', this.onResponseClose);
    // After the body's own resume tick, so that a body already here leaves with the head in one write.
    process.nextTick(uncork, socket);
  };

  private readonly onResponseData = (chunk: Buffer): void => {
    if (!writeBodyPiece(this.socket, chunk, this.chunkedOut)) this.response?.body.pause();
  };

  private readonly onResponseEnd = (): void => {
    const response = this.response;
    if (!response) return;
    if (this.chunkedOut) this.socket.write(lastChunk(response.trailers()), 'latin1');
    this.answered = true;
    this.maybeDone();
  };

  /** A body cut short must cut the client's response too: in HTTP/1.1 a closed connection says "incomplete". */
  private readonly onResponseClose = (): void => {
    const body = this.response?.body;
    if (body && !body.readableEnded) this.socket.destroy();
  };

  private readonly onDrain = (): void => {
    this.response?.body.resume();
  };

  private readonly onFailure = (thrown: unknown): void => {
    if (this.dead) return;
    const error = toProxyError(thrown);
    if (error.kind === 'internal_error') this.accepted.log.error({ err: error.cause ?? error }, 'proxy error');
    else this.accepted.log.debug({ kind: error.kind, err: error.cause }, 'request failed');
    this.writeError(error.kind);
  };

  /** The proxy's own answer for a failure, as Node's server path writes it; nothing (a reset) for client_reset. */
  private writeError(kind: ProxyErrorKind): void {
    const { status, text } = ERROR_RESPONSES[kind];
    if (status === null) {
      this.socket.destroy();
      return;
    }
    if (this.server.draining) this.closeAfter = true;
    const body = `meshviz proxy: ${kind}: ${text}\n`;
    this.socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: text/plain; charset=utf-8\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\n${PROXY_ERROR_HEADER}: ${kind}\r\n` +
        `${this.closeAfter ? 'connection: close\r\n' : KEEP_ALIVE_HEADER}\r\n${body}`,
    );
    this.answered = true;
    this.maybeDone();
  }

  /** The exchange is over once its answer is written and its request body read (or dropped, unread). */
  private maybeDone(): void {
    if (!this.answered || !this.busy) return;
    if (this.reading !== READ_NONE) {
      // Nobody reads the rest of the body any more (an early answer): it is read and dropped, as Node does.
      this.body?.resume();
      return;
    }
    const response = this.response;
    if (response) {
      response.body.off('data', this.onResponseData);
      response.body.off('data', ignore);
      response.body.off('end', this.onResponseEnd);
      response.body.off('close', this.onResponseClose);
    }
    this.response = undefined;
    this.request = undefined;
    this.body = undefined;
    this.decoder = undefined;
    this.signal = undefined;
    this.busy = false;
    this.server.inFlight.leave();
    if (this.closeAfter) {
      this.dead = true;
      this.socket.end();
      return;
    }
    this.idleSweeps = 0;
    if (this.pending) this.next();
    if (!this.busy || this.reading !== READ_NONE) this.socket.resume();
  }

  /** The client's FIN: no request follows; the answer in progress is still written, then the connection ends. */
  private readonly onEnd = (): void => {
    this.clientEnded = true;
    if (this.reading !== READ_NONE) {
      this.body?.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
      this.socket.destroy();
      return;
    }
    if (this.busy) {
      // Requests pipelined behind this one are still answered; the last of them ends the connection.
      if (!this.pending) this.closeAfter = true;
    } else if (this.pending) this.next();
    else this.socket.end();
  };

  private readonly onClose = (): void => {
    const wasDead = this.dead;
    this.dead = true;
    this.server.forget(this);
    if (wasDead && !this.busy) return;
    if (!this.busy) return;
    // The client left before its answer was complete: the inner stages let go of the upstream.
    if (this.reading !== READ_NONE) this.body?.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
    if (!this.answered) this.signal?.abort(new ProxyError('client_reset'));
    this.busy = false;
    this.server.inFlight.leave();
  };
}

function uncork(socket: Socket): void {
  socket.uncork();
}

const ignore = (): void => {};
