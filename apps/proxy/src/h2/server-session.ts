import type { Socket } from 'node:net';
import {
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
  serverPreface,
  unpad,
  windowUpdateFrame,
} from './frame.js';
import { checkServerFrameHead } from './frame-check.js';
import { FrameWriter } from './frame-writer.js';
import { HeaderBlocks } from './header-block.js';
import { HeaderListTooLarge, HpackDecoder } from './hpack.js';
import { HpackError } from './hpack-error.js';
import { PrefaceCheck } from './preface.js';
import { requestHead, validTrailers } from './request-head.js';
import { ResponseSender } from './server-send.js';
import { H2ServerStream } from './server-stream.js';

export interface ServerSessionOptions {
  /** SETTINGS_MAX_CONCURRENT_STREAMS we announce: streams beyond it are refused. */
  readonly maxConcurrentStreams: number;
  /** SETTINGS_MAX_HEADER_LIST_SIZE we announce: larger request heads have their stream reset. */
  readonly maxHeaderListSize: number;
  /** Per-stream and connection receive windows we open. */
  readonly streamWindow: number;
  readonly sessionWindow: number;
}

/** What the server stage does with a session's streams; one object per connection, no listener per stream. */
export interface ServerSessionHandler {
  /** A valid request head arrived (its body follows on the stream; `endStream`: it has none). */
  request(stream: H2ServerStream, fields: string[], endStream: boolean): void;
  /** The stream closed on the wire (complete both ways, reset by either side, or its connection ended). */
  streamClosed(stream: H2ServerStream): void;
  /** The connection is gone. */
  closed(): void;
}

/**
 * A client that keeps opening streams beyond the limit costs a header block and a RST_STREAM each and never
 * waits: past this many refusals its connection ends with ENHANCE_YOUR_CALM (Node's maxSessionRejectedStreams).
 */
const MAX_REFUSED_STREAMS = 100;
/** Past this the socket is not read either, so frames that need an answer (PING, SETTINGS) cannot pile up. */
const SOCKET_READ_LIMIT = 1024 * 1024;

/**
 * The server side of one HTTP/2 connection (RFC 9113) on the proxy's own framing: the counterpart of
 * H2ClientSession, so Node's per-connection and per-stream objects are not built for clients either. Checks the
 * client preface, announces our SETTINGS first, honours flow control both ways, refuses streams over the limit,
 * resets malformed requests, and fails the connection (GOAWAY) on protocol errors.
 */
export class H2ServerSession {
  destroyed = false;
  /** GOAWAY sent or received: no new streams; the connection ends once the open ones are done. */
  closing = false;
  private readonly streams = new Map<number, H2ServerStream>();
  private readonly reader: FrameReader;
  private readonly decoder: HpackDecoder;
  private readonly headerBlocks: HeaderBlocks;
  private readonly writer: FrameWriter;
  private readonly preface = new PrefaceCheck();
  private readonly sender: ResponseSender;
  /** Read by the frame-head check (ServerFrameState). */
  settingsSeen = false;
  lastId = 0;
  private peerInitialWindow = DEFAULT_WINDOW;
  private recvWindow: number;
  private connectionOwed = 0;
  private readPaused = false;
  private refused = 0;

  constructor(
    private readonly socket: Socket,
    private readonly options: ServerSessionOptions,
    private readonly handler: ServerSessionHandler,
  ) {
    this.writer = new FrameWriter(socket);
    this.sender = new ResponseSender(this.writer, (stream) => this.endedLocally(stream));
    this.decoder = new HpackDecoder({ maxTableSize: 4096, maxListSize: options.maxHeaderListSize });
    // A block larger than we accept plus what HPACK could gain is refused before it is buffered further.
    this.headerBlocks = new HeaderBlocks(options.maxHeaderListSize * 2 + DEFAULT_MAX_FRAME);
    this.reader = new FrameReader(
      DEFAULT_MAX_FRAME,
      (type, flags, id, payload) => this.onFrame(type, flags, id, payload),
      // A frame whose payload is still on its way is refused as soon as its head says it must be.
      (type, flags, id, length) => checkServerFrameHead(type, flags, id, length, this),
    );
    this.recvWindow = options.sessionWindow;
    this.writer.send(serverPreface(options.streamWindow, options.sessionWindow, options.maxConcurrentStreams, options.maxHeaderListSize));
    socket.on('data', this.onData);
    socket.on('drain', this.onDrain);
    socket.on('error', () => this.destroy());
    socket.on('close', () => this.destroy());
    // The client half-closed: it sends no more requests; the open ones are answered.
    socket.on('end', () => this.close(false));
    // Detection paused the socket to put its first bytes back.
    socket.resume();
  }

  /** GOAWAY (NO_ERROR): no new streams, the open ones finish, then the connection ends. */
  close(sendGoaway = true): void {
    if (this.destroyed) return;
    if (!this.closing && sendGoaway) this.writer.send(goawayFrame(this.lastId, ErrorCode.NO_ERROR));
    this.closing = true;
    this.closeIfIdle();
  }

  /** Ends the connection now; open streams close as reset. */
  destroy(code?: number): void {
    if (this.destroyed) return;
    if (code !== undefined) this.writer.send(goawayFrame(this.lastId, code));
    this.destroyed = true;
    this.closing = true;
    for (const stream of this.streams.values()) this.finish(stream);
    this.streams.clear();
    this.writer.flush();
    if (code !== undefined) this.socket.destroySoon();
    else this.socket.destroy();
    this.handler.closed();
  }

  sendHeaders(stream: H2ServerStream, fields: readonly string[], endStream: boolean): void {
    if (this.destroyed) return;
    this.writer.headers(stream.id, fields, endStream);
    if (endStream) this.endedLocally(stream);
  }

  flush(stream: H2ServerStream): void {
    this.sender.flush(stream);
  }

  /** Request bytes a stream's reader consumed: connection credit goes back in batches. */
  consumed(bytes: number): void {
    this.connectionOwed += bytes;
    if (this.connectionOwed < this.options.sessionWindow / 4 || this.destroyed) return;
    this.recvWindow += this.connectionOwed;
    this.writer.send(windowUpdateFrame(0, this.connectionOwed));
    this.connectionOwed = 0;
  }

  creditStream(id: number, bytes: number): void {
    if (!this.destroyed) this.writer.send(windowUpdateFrame(id, bytes));
  }

  /** Resets a stream from our side (RST_STREAM) and closes it. */
  resetStream(stream: H2ServerStream, code: number): void {
    if (stream.closedOnWire) return;
    if (!this.destroyed) this.writer.send(rstStreamFrame(stream.id, code));
    stream.rstCode = code;
    this.finish(stream);
  }

  private readonly onData = (chunk: Buffer): void => {
    try {
      let data = chunk;
      if (!this.preface.done) {
        data = this.preface.push(chunk);
        if (data.length === 0) return;
      }
      this.reader.push(data);
    } catch (error) {
      this.fail(error);
      return;
    }
    // A client that sends faster than it reads our answers waits until the socket drains.
    if (this.writer.buffered >= SOCKET_READ_LIMIT && !this.destroyed) {
      this.readPaused = true;
      this.socket.pause();
    }
  };

  private readonly onDrain = (): void => {
    if (this.readPaused) {
      this.readPaused = false;
      this.socket.resume();
    }
    this.sender.unblock();
  };

  private onFrame(type: number, flags: number, id: number, payload: Buffer): void {
    if (this.destroyed) return;
    checkServerFrameHead(type, flags, id, payload.length, this);
    switch (type) {
      case FrameType.DATA:
        this.onDataFrame(flags, id, payload);
        return;
      case FrameType.HEADERS:
        this.onHeaderBlock(this.headerBlocks.headers(flags, id, payload));
        return;
      case FrameType.CONTINUATION:
        this.onHeaderBlock(this.headerBlocks.continuation(flags, id, payload));
        return;
      case FrameType.RST_STREAM:
        this.onReset(id, payload);
        return;
      case FrameType.SETTINGS:
        this.onSettings(flags, payload);
        return;
      case FrameType.PING:
        if (!(flags & Flag.ACK)) this.writer.send(frame(FrameType.PING, Flag.ACK, 0, payload));
        return;
      case FrameType.GOAWAY:
        // The client opens no more streams; ours are answered, then the connection ends.
        this.close(false);
        return;
      case FrameType.WINDOW_UPDATE:
        this.onWindowUpdate(id, payload);
        return;
      default:
        // PRIORITY and unknown types carry nothing the proxy acts on.
        return;
    }
  }

  /** A header block waits for its CONTINUATIONs (ServerFrameState). */
  get continuing(): boolean {
    return this.headerBlocks.open;
  }

  private onDataFrame(flags: number, id: number, payload: Buffer): void {
    // Flow control counts the whole frame, padding included.
    this.recvWindow -= payload.length;
    if (this.recvWindow < 0) throw new H2ConnectionError(ErrorCode.FLOW_CONTROL_ERROR, 'connection window overrun');
    const stream = this.streams.get(id);
    if (!stream || stream.remoteEnded) {
      // A stream we closed: the bytes were in flight, only the connection's credit matters. One the client ended
      // itself is an error of that stream (§5.1).
      this.consumed(payload.length);
      if (stream) this.resetStream(stream, ErrorCode.STREAM_CLOSED);
      return;
    }
    const body = flags & Flag.PADDED ? unpad(payload) : payload;
    stream.recvWindow -= payload.length;
    if (stream.recvWindow < 0) throw new H2ConnectionError(ErrorCode.FLOW_CONTROL_ERROR, `stream ${id} window overrun`);
    // Padding is never read: its credit goes back at once.
    if (payload.length > body.length) this.consumed(payload.length - body.length);
    stream.received += body.length;
    const announced = stream.head.contentLength;
    const end = (flags & Flag.END_STREAM) !== 0;
    if (announced >= 0 && (stream.received > announced || (end && stream.received !== announced))) {
      this.consumed(body.length);
      this.resetStream(stream, ErrorCode.PROTOCOL_ERROR);
      return;
    }
    if (body.length > 0) stream.data(body);
    if (end) this.endedRemotely(stream);
  }

  private onHeaderBlock(complete: { streamId: number; flags: number; block: Buffer } | undefined): void {
    if (!complete) return;
    const { streamId: id, flags } = complete;
    let fields: string[] | undefined;
    try {
      fields = this.decoder.decode(complete.block);
    } catch (error) {
      // HPACK failures desynchronise the table: the connection is over. Oversized lists fail only their stream.
      if (!(error instanceof HeaderListTooLarge)) {
        throw new H2ConnectionError(ErrorCode.COMPRESSION_ERROR, error instanceof HpackError ? error.message : String(error));
      }
    }
    const endStream = (flags & Flag.END_STREAM) !== 0;
    const stream = this.streams.get(id);
    if (stream) {
      this.onTrailers(stream, fields, endStream);
      return;
    }
    if (id <= this.lastId) {
      // Trailers of a stream we already closed (reset or refused) may cross our RST_STREAM: the block only had to
      // reach the table. Anything else reuses a stream id, which must increase (§5.1.1).
      if (endStream) return;
      throw new H2ConnectionError(ErrorCode.PROTOCOL_ERROR, `HEADERS on closed stream ${id}`);
    }
    this.lastId = id;
    if (this.closing || this.streams.size >= this.options.maxConcurrentStreams) {
      this.refused += 1;
      if (this.refused > MAX_REFUSED_STREAMS) throw new H2ConnectionError(ErrorCode.ENHANCE_YOUR_CALM, 'too many refused streams');
      this.writer.send(rstStreamFrame(id, ErrorCode.REFUSED_STREAM));
      return;
    }
    if (!fields) {
      this.writer.send(rstStreamFrame(id, ErrorCode.ENHANCE_YOUR_CALM));
      return;
    }
    const head = requestHead(fields);
    if (!head || (endStream && head.contentLength > 0)) {
      this.writer.send(rstStreamFrame(id, ErrorCode.PROTOCOL_ERROR));
      return;
    }
    const opened = new H2ServerStream(this, id, head, { recv: this.options.streamWindow, send: this.peerInitialWindow });
    this.streams.set(id, opened);
    if (endStream) {
      opened.remoteEnded = true;
      opened.push(null);
    }
    this.handler.request(opened, fields, endStream);
  }

  private onTrailers(stream: H2ServerStream, fields: string[] | undefined, endStream: boolean): void {
    // Trailers must end the stream, carry no pseudo-headers, and complete the announced length.
    const announced = stream.head.contentLength;
    if (stream.remoteEnded) this.resetStream(stream, ErrorCode.STREAM_CLOSED);
    else if (!fields || !endStream || !validTrailers(fields) || (announced >= 0 && stream.received !== announced)) {
      this.resetStream(stream, ErrorCode.PROTOCOL_ERROR);
    } else {
      stream.trailers = fields;
      this.endedRemotely(stream);
    }
  }

  private onReset(id: number, payload: Buffer): void {
    const stream = this.streams.get(id);
    if (!stream) return;
    stream.resetByPeer = true;
    stream.rstCode = payload.readUInt32BE(0);
    this.finish(stream);
  }

  private onSettings(flags: number, payload: Buffer): void {
    if (flags & Flag.ACK) {
      if (!this.settingsSeen) throw new H2ConnectionError(ErrorCode.PROTOCOL_ERROR, 'preface without SETTINGS');
      return;
    }
    this.settingsSeen = true;
    const settings = readSettings(payload);
    if (settings.headerTableSize !== undefined) this.writer.encoder.setMaxTableSize(Math.min(settings.headerTableSize, 4096));
    if (settings.maxFrameSize !== undefined) this.writer.maxFrame = settings.maxFrameSize;
    if (settings.initialWindowSize !== undefined) {
      const delta = settings.initialWindowSize - this.peerInitialWindow;
      this.peerInitialWindow = settings.initialWindowSize;
      for (const stream of this.streams.values()) {
        stream.sendWindow += delta;
        if (stream.sendWindow > MAX_WINDOW) throw new H2ConnectionError(ErrorCode.FLOW_CONTROL_ERROR, 'stream window overflow');
      }
    }
    this.writer.send(frame(FrameType.SETTINGS, Flag.ACK, 0));
    this.sender.unblock();
  }

  private onWindowUpdate(id: number, payload: Buffer): void {
    const increment = payload.readUInt32BE(0) & 0x7fffffff;
    if (id === 0) {
      if (increment === 0) throw new H2ConnectionError(ErrorCode.PROTOCOL_ERROR, 'WINDOW_UPDATE of 0');
      this.sender.credit(increment);
      return;
    }
    const stream = this.streams.get(id);
    if (!stream) return;
    stream.sendWindow += increment;
    if (increment === 0) this.resetStream(stream, ErrorCode.PROTOCOL_ERROR);
    else if (stream.sendWindow > MAX_WINDOW) this.resetStream(stream, ErrorCode.FLOW_CONTROL_ERROR);
    else this.sender.flush(stream);
  }

  private endedRemotely(stream: H2ServerStream): void {
    stream.remoteEnded = true;
    stream.push(null);
    if (stream.localEnded) this.finish(stream);
  }

  private endedLocally(stream: H2ServerStream): void {
    stream.localEnded = true;
    if (stream.remoteEnded) {
      this.finish(stream);
      return;
    }
    // The answer is complete before the request: the client may stop sending it (§8.1).
    this.resetStream(stream, ErrorCode.NO_ERROR);
  }

  /** The stream is done on the wire: it leaves the session, its unread request bytes go back as credit. */
  private finish(stream: H2ServerStream): void {
    if (stream.closedOnWire) return;
    stream.closedOnWire = true;
    this.sender.forget(stream);
    if (!this.destroyed) this.streams.delete(stream.id);
    const uncredited = stream.takeUncredited();
    if (uncredited > 0) this.consumed(uncredited);
    stream.queue.length = 0;
    stream.destroy();
    this.handler.streamClosed(stream);
    this.closeIfIdle();
  }

  private closeIfIdle(): void {
    if (this.closing && !this.destroyed && this.streams.size === 0) {
      this.destroyed = true;
      this.writer.flush();
      this.socket.end();
      this.handler.closed();
    }
  }

  /** A connection error: GOAWAY with its code, then every stream closes. */
  private fail(error: unknown): void {
    this.destroy(error instanceof H2ConnectionError ? error.errorCode : ErrorCode.INTERNAL_ERROR);
  }
}
