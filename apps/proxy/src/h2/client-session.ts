import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { H2ClientStream, type ResponseHandler, streamError } from './client-stream.js';
import {
  clientPreface,
  DEFAULT_MAX_FRAME,
  DEFAULT_WINDOW,
  ErrorCode,
  Flag,
  FrameReader,
  FrameType,
  frame,
  goawayFrame,
  H2ConnectionError,
  MAX_WINDOW,
  readSettings,
  rstStreamFrame,
  unpad,
  windowUpdateFrame,
} from './frame.js';
import { FrameWriter } from './frame-writer.js';
import { HeaderBlocks, withoutPseudo } from './header-block.js';
import { HpackDecoder } from './hpack.js';
import { HpackError } from './hpack-error.js';

export interface ClientSessionOptions {
  /** SETTINGS_MAX_HEADER_LIST_SIZE we announce: larger response heads fail their stream. */
  readonly maxHeaderListSize: number;
  /** Per-stream and connection receive windows we open. */
  readonly streamWindow: number;
  readonly sessionWindow: number;
}

const MAX_STREAM_ID = 2 ** 31 - 1;

/**
 * The proxy's own HTTP/2 client connection to one endpoint (RFC 9113), used instead of Node's http2 client on
 * the proxy's hot path: a request is one object (its response body) and a few integers, with no per-stream
 * wrappers or listeners. Flow control is honoured both ways; the upstream's SETTINGS_MAX_CONCURRENT_STREAMS
 * is respected by queueing streams beyond it; GOAWAY lets open streams finish and fails the ones the upstream
 * will not process. Server push is disabled. Emits 'goaway' (no new streams) and 'close'.
 */
export class H2ClientSession extends EventEmitter {
  closed = false;
  destroyed = false;
  private readonly streams = new Map<number, H2ClientStream>();
  private readonly waiting: H2ClientStream[] = [];
  private readonly blocked = new Set<H2ClientStream>();
  private readonly reader: FrameReader;
  private readonly decoder: HpackDecoder;
  private nextId = 1;
  private active = 0;
  private peerMaxStreams = Number.POSITIVE_INFINITY;
  private peerInitialWindow = DEFAULT_WINDOW;
  private sendWindow = DEFAULT_WINDOW;
  private connectionOwed = 0;
  private readonly headerBlocks: HeaderBlocks;
  private readonly writer: FrameWriter;

  constructor(
    private readonly socket: Socket,
    private readonly options: ClientSessionOptions,
  ) {
    super();
    this.writer = new FrameWriter(socket);
    this.decoder = new HpackDecoder({ maxTableSize: 4096, maxListSize: options.maxHeaderListSize });
    // A block larger than we accept plus what HPACK could gain is refused before it is buffered further.
    this.headerBlocks = new HeaderBlocks(options.maxHeaderListSize * 2 + DEFAULT_MAX_FRAME);
    this.reader = new FrameReader(DEFAULT_MAX_FRAME, (type, flags, id, payload) => this.onFrame(type, flags, id, payload));
    socket.write(clientPreface(options.streamWindow, options.sessionWindow, options.maxHeaderListSize));
    socket.on('data', (chunk: Buffer) => {
      try {
        this.reader.push(chunk);
      } catch (error) {
        this.fail(error);
      }
    });
    socket.on('error', (error) => this.destroy(error));
    socket.on('close', () => this.destroy(streamError('ECONNRESET', 'HTTP/2 connection to the endpoint closed')));
  }

  get busy(): boolean {
    return this.active + this.waiting.length > 0;
  }

  /** Opens a stream (queued while the upstream's concurrent-stream limit is reached). */
  request(fields: string[], endStream: boolean, trailers: () => readonly string[], onResponse: ResponseHandler): H2ClientStream {
    if (this.closed || this.destroyed) throw streamError('ERR_HTTP2_GOAWAY_SESSION', 'HTTP/2 session is closing');
    const stream = new H2ClientStream(this, fields, endStream, trailers, onResponse, {
      recv: this.options.streamWindow,
      send: this.peerInitialWindow,
    });
    if (this.active < this.peerMaxStreams) this.open(stream);
    else this.waiting.push(stream);
    return stream;
  }

  /** No new streams; the connection closes once the open ones are done. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('goaway');
    if (!this.destroyed) this.writer.send(goawayFrame(0, ErrorCode.NO_ERROR));
    this.closeIfIdle();
  }

  destroy(error?: Error): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.closed = true;
    const reason = error ?? streamError('ERR_HTTP2_INVALID_SESSION', 'HTTP/2 session destroyed');
    for (const stream of [...this.waiting, ...this.streams.values()]) this.lose(stream, reason);
    this.waiting.length = 0;
    this.streams.clear();
    this.socket.destroy();
    this.emit('close');
  }

  /** Sends what the stream has queued, as far as both windows allow, and its end when everything went. */
  flush(stream: H2ClientStream): void {
    if (stream.id === 0 || stream.closedOnWire || this.destroyed) return;
    while (stream.queue.length > 0) {
      const piece = stream.nextPiece(Math.min(this.sendWindow, this.writer.maxFrame));
      if (!piece) {
        this.blocked.add(stream);
        return;
      }
      this.sendWindow -= piece.length;
      const last = stream.wantsEnd && stream.queue.length === 0 && stream.requestTrailers().length === 0;
      this.writer.send(frame(FrameType.DATA, last ? Flag.END_STREAM : 0, stream.id, piece));
      if (last) this.endedLocally(stream);
    }
    this.blocked.delete(stream);
    stream.drained();
    if (stream.wantsEnd) {
      const trailers = stream.requestTrailers();
      if (trailers.length > 0) this.writer.headers(stream.id, trailers, true);
      else this.writer.send(frame(FrameType.DATA, Flag.END_STREAM, stream.id));
      this.endedLocally(stream);
    }
  }

  /** Response bytes the stream's reader consumed: connection credit goes back in batches. */
  consumed(bytes: number): void {
    this.connectionOwed += bytes;
    if (this.connectionOwed < this.options.sessionWindow / 4 || this.destroyed) return;
    this.writer.send(windowUpdateFrame(0, this.connectionOwed));
    this.connectionOwed = 0;
  }

  creditStream(id: number, bytes: number): void {
    if (!this.destroyed) this.writer.send(windowUpdateFrame(id, bytes));
  }

  /** The stream's body was destroyed: reset it on the wire unless it completed. */
  abandon(stream: H2ClientStream): void {
    const queued = this.waiting.indexOf(stream);
    if (queued >= 0) {
      this.waiting.splice(queued, 1);
      return;
    }
    if (stream.closedOnWire || stream.id === 0) return;
    if (!this.destroyed) this.writer.send(rstStreamFrame(stream.id, ErrorCode.CANCEL));
    this.forget(stream);
  }

  private open(stream: H2ClientStream): void {
    if (this.nextId > MAX_STREAM_ID) {
      this.close();
      this.lose(stream, streamError('ERR_HTTP2_GOAWAY_SESSION', 'HTTP/2 stream ids exhausted'));
      return;
    }
    stream.id = this.nextId;
    this.nextId += 2;
    this.active += 1;
    this.streams.set(stream.id, stream);
    this.writer.headers(stream.id, stream.fields, stream.endStream);
    this.flush(stream);
  }

  private endedLocally(stream: H2ClientStream): void {
    stream.localEnded = true;
    stream.onSent?.();
    if (stream.remoteEnded) this.forget(stream);
  }

  private onFrame(type: number, flags: number, id: number, payload: Buffer): void {
    if (this.headerBlocks.open && type !== FrameType.CONTINUATION) {
      throw new H2ConnectionError(ErrorCode.PROTOCOL_ERROR, 'header block interrupted before END_HEADERS');
    }
    switch (type) {
      case FrameType.DATA:
        this.onData(flags, id, payload);
        return;
      case FrameType.HEADERS:
        this.onHeaders(flags, id, payload);
        return;
      case FrameType.CONTINUATION:
        this.onContinuation(flags, id, payload);
        return;
      case FrameType.RST_STREAM:
        this.onReset(id, payload);
        return;
      case FrameType.SETTINGS:
        this.onSettings(flags, id, payload);
        return;
      case FrameType.PING:
        if (id !== 0 || payload.length !== 8) throw new H2ConnectionError(ErrorCode.PROTOCOL_ERROR, 'malformed PING');
        if (!(flags & Flag.ACK)) this.writer.send(frame(FrameType.PING, Flag.ACK, 0, payload));
        return;
      case FrameType.GOAWAY:
        this.onGoaway(payload);
        return;
      case FrameType.WINDOW_UPDATE:
        this.onWindowUpdate(id, payload);
        return;
      case FrameType.PUSH_PROMISE:
        throw new H2ConnectionError(ErrorCode.PROTOCOL_ERROR, 'PUSH_PROMISE although push is disabled');
      default:
        // PRIORITY and unknown types carry nothing the proxy acts on (RFC 9113 §5.5).
        return;
    }
  }

  private onData(flags: number, id: number, payload: Buffer): void {
    const stream = this.streams.get(id);
    let body = payload;
    if (flags & Flag.PADDED) body = unpad(payload);
    // Flow control counts the whole frame, padding included.
    if (stream) {
      if (!stream.responded || stream.remoteEnded) {
        throw new H2ConnectionError(ErrorCode.PROTOCOL_ERROR, `DATA on stream ${id} outside a response body`);
      }
      stream.recvWindow -= payload.length;
      if (stream.recvWindow < 0) throw new H2ConnectionError(ErrorCode.FLOW_CONTROL_ERROR, `stream ${id} window overrun`);
      if (body.length > 0) stream.data(body);
      // Padding is never read: its credit goes back at once.
      if (payload.length > body.length) this.consumed(payload.length - body.length);
      if (flags & Flag.END_STREAM) this.endedRemotely(stream);
    } else {
      if (id === 0 || id >= this.nextId) throw new H2ConnectionError(ErrorCode.PROTOCOL_ERROR, `DATA on idle stream ${id}`);
      // A stream we reset: the bytes were in flight; only the connection's credit matters.
      this.consumed(payload.length);
    }
  }

  private onHeaders(flags: number, id: number, payload: Buffer): void {
    if (id === 0 || id % 2 === 0 || id >= this.nextId) {
      throw new H2ConnectionError(ErrorCode.PROTOCOL_ERROR, `HEADERS on stream ${id}`);
    }
    const complete = this.headerBlocks.headers(flags, id, payload);
    if (complete) this.onHeaderBlock(complete.streamId, complete.flags, complete.block);
  }

  private onContinuation(flags: number, id: number, payload: Buffer): void {
    const complete = this.headerBlocks.continuation(flags, id, payload);
    if (complete) this.onHeaderBlock(complete.streamId, complete.flags, complete.block);
  }

  private onHeaderBlock(id: number, flags: number, block: Buffer): void {
    let fields: string[] | undefined;
    try {
      fields = this.decoder.decode(block);
    } catch (error) {
      // HPACK failures desynchronise the table: the connection is over. Oversized lists fail only their stream.
      if (error instanceof HpackError) throw new H2ConnectionError(ErrorCode.COMPRESSION_ERROR, error.message);
      const stream = this.streams.get(id);
      if (stream) this.reset(stream, ErrorCode.PROTOCOL_ERROR, streamError('ERR_HTTP2_ERROR', String(error)));
      return;
    }
    const stream = this.streams.get(id);
    if (!stream) return; // a stream we reset; its block only had to reach the table
    const endStream = (flags & Flag.END_STREAM) !== 0;
    if (stream.remoteEnded) {
      this.reset(stream, ErrorCode.STREAM_CLOSED, streamError('ERR_HTTP2_ERROR', 'HEADERS after the end of the response'));
      return;
    }
    if (stream.responded) {
      // Trailers: they must end the stream.
      if (!endStream) {
        this.reset(stream, ErrorCode.PROTOCOL_ERROR, streamError('ERR_HTTP2_ERROR', 'trailers without END_STREAM'));
        return;
      }
      stream.trailers = withoutPseudo(fields);
      this.endedRemotely(stream);
      return;
    }
    const status = fields[0] === ':status' ? Number(fields[1]) : Number.NaN;
    if (!(status >= 100 && status <= 999) || !Number.isInteger(status)) {
      this.reset(stream, ErrorCode.PROTOCOL_ERROR, streamError('ERR_HTTP2_ERROR', 'response without a valid :status'));
      return;
    }
    // Informational answers (100 Continue, 103) are not relayed, as with Node's client.
    if (status < 200) return;
    stream.responded = true;
    stream.onResponse(status, withoutPseudo(fields), endStream);
    if (endStream) this.endedRemotely(stream);
  }

  private endedRemotely(stream: H2ClientStream): void {
    stream.remoteEnded = true;
    stream.push(null);
    if (stream.localEnded) this.forget(stream);
  }

  private onReset(id: number, payload: Buffer): void {
    if (payload.length !== 4) throw new H2ConnectionError(ErrorCode.FRAME_SIZE_ERROR, 'RST_STREAM of the wrong size');
    const stream = this.streams.get(id);
    if (!stream) return;
    const code = payload.readUInt32BE(0);
    this.forget(stream);
    // NO_ERROR after a complete response only tells us to stop sending the request body.
    if (code === ErrorCode.NO_ERROR && stream.remoteEnded) return;
    stream.destroy(streamError('ERR_HTTP2_STREAM_ERROR', `stream reset by the endpoint (code ${code})`));
  }

  private onSettings(flags: number, id: number, payload: Buffer): void {
    if (id !== 0) throw new H2ConnectionError(ErrorCode.PROTOCOL_ERROR, 'SETTINGS on a stream');
    if (flags & Flag.ACK) return;
    const settings = readSettings(payload);
    if (settings.headerTableSize !== undefined) this.writer.encoder.setMaxTableSize(Math.min(settings.headerTableSize, 4096));
    if (settings.maxConcurrentStreams !== undefined) this.peerMaxStreams = settings.maxConcurrentStreams;
    if (settings.maxFrameSize !== undefined) this.writer.maxFrame = settings.maxFrameSize;
    if (settings.initialWindowSize !== undefined) {
      const delta = settings.initialWindowSize - this.peerInitialWindow;
      this.peerInitialWindow = settings.initialWindowSize;
      for (const stream of this.streams.values()) stream.sendWindow += delta;
    }
    this.writer.send(frame(FrameType.SETTINGS, Flag.ACK, 0));
    this.unblock();
    this.openWaiting();
  }

  private onGoaway(payload: Buffer): void {
    if (payload.length < 8) throw new H2ConnectionError(ErrorCode.FRAME_SIZE_ERROR, 'GOAWAY too short');
    const lastId = payload.readUInt32BE(0) & 0x7fffffff;
    const code = payload.readUInt32BE(4);
    this.closed = true;
    this.emit('goaway');
    // Streams above lastId were never processed; those below finish (or fail with the connection).
    const refused = streamError('ERR_HTTP2_GOAWAY_SESSION', `endpoint sent GOAWAY (code ${code})`);
    for (const stream of [...this.streams.values()]) if (stream.id > lastId) this.lose(stream, refused);
    for (const stream of this.waiting.splice(0)) this.lose(stream, refused);
    if (code !== ErrorCode.NO_ERROR) this.destroy(streamError('ERR_HTTP2_SESSION_ERROR', `endpoint sent GOAWAY (code ${code})`));
    else this.closeIfIdle();
  }

  private onWindowUpdate(id: number, payload: Buffer): void {
    if (payload.length !== 4) throw new H2ConnectionError(ErrorCode.FRAME_SIZE_ERROR, 'WINDOW_UPDATE of the wrong size');
    const increment = payload.readUInt32BE(0) & 0x7fffffff;
    if (id === 0) {
      if (increment === 0) throw new H2ConnectionError(ErrorCode.PROTOCOL_ERROR, 'WINDOW_UPDATE of 0');
      this.sendWindow += increment;
      if (this.sendWindow > MAX_WINDOW) throw new H2ConnectionError(ErrorCode.FLOW_CONTROL_ERROR, 'connection window overflow');
      this.unblock();
      return;
    }
    const stream = this.streams.get(id);
    if (!stream) return;
    if (increment === 0) {
      this.reset(stream, ErrorCode.PROTOCOL_ERROR, streamError('ERR_HTTP2_ERROR', 'WINDOW_UPDATE of 0'));
      return;
    }
    stream.sendWindow += increment;
    if (stream.sendWindow > MAX_WINDOW) {
      this.reset(stream, ErrorCode.FLOW_CONTROL_ERROR, streamError('ERR_HTTP2_ERROR', 'stream window overflow'));
      return;
    }
    this.flush(stream);
  }

  private unblock(): void {
    for (const stream of [...this.blocked]) this.flush(stream);
  }

  private openWaiting(): void {
    while (this.waiting.length > 0 && this.active < this.peerMaxStreams && !this.closed) {
      this.open(this.waiting.shift() as H2ClientStream);
    }
  }

  private reset(stream: H2ClientStream, code: number, error: Error): void {
    if (!this.destroyed) this.writer.send(rstStreamFrame(stream.id, code));
    this.lose(stream, error);
  }

  /** The stream fails: it leaves the session and its body errors. */
  private lose(stream: H2ClientStream, error: Error): void {
    this.forget(stream);
    stream.closedOnWire = true;
    stream.destroy(error);
  }

  /** The stream is done on the wire (both sides ended, or reset). */
  private forget(stream: H2ClientStream): void {
    if (stream.closedOnWire) return;
    stream.closedOnWire = true;
    this.blocked.delete(stream);
    if (this.streams.delete(stream.id)) this.active -= 1;
    this.openWaiting();
    this.closeIfIdle();
  }

  private closeIfIdle(): void {
    if (this.closed && !this.destroyed && this.active === 0 && this.waiting.length === 0) {
      this.destroyed = true;
      this.writer.flush();
      this.socket.end();
      this.emit('close');
    }
  }

  /** A connection error: GOAWAY with its code, then every stream fails. */
  private fail(error: unknown): void {
    const code = error instanceof H2ConnectionError ? error.errorCode : ErrorCode.INTERNAL_ERROR;
    if (!this.destroyed) this.writer.send(goawayFrame(0, code));
    this.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}
