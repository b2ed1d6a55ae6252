/** HTTP/2 frame types, flags, settings and error codes the proxy's framing uses (RFC 9113 §6, §7, §11.2). */
export const FrameType = {
  DATA: 0x0,
  HEADERS: 0x1,
  PRIORITY: 0x2,
  RST_STREAM: 0x3,
  SETTINGS: 0x4,
  PUSH_PROMISE: 0x5,
  PING: 0x6,
  GOAWAY: 0x7,
  WINDOW_UPDATE: 0x8,
  CONTINUATION: 0x9,
} as const;

export const Flag = { END_STREAM: 0x1, ACK: 0x1, END_HEADERS: 0x4, PADDED: 0x8, PRIORITY: 0x20 } as const;

export const Setting = {
  HEADER_TABLE_SIZE: 0x1,
  ENABLE_PUSH: 0x2,
  MAX_CONCURRENT_STREAMS: 0x3,
  INITIAL_WINDOW_SIZE: 0x4,
  MAX_FRAME_SIZE: 0x5,
  MAX_HEADER_LIST_SIZE: 0x6,
} as const;

export const ErrorCode = {
  NO_ERROR: 0x0,
  PROTOCOL_ERROR: 0x1,
  INTERNAL_ERROR: 0x2,
  FLOW_CONTROL_ERROR: 0x3,
  STREAM_CLOSED: 0x5,
  FRAME_SIZE_ERROR: 0x6,
  REFUSED_STREAM: 0x7,
  CANCEL: 0x8,
  COMPRESSION_ERROR: 0x9,
  ENHANCE_YOUR_CALM: 0xb,
} as const;

export const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
export const DEFAULT_WINDOW = 65_535;
export const DEFAULT_MAX_FRAME = 16_384;
export const MAX_WINDOW = 2 ** 31 - 1;

/** A connection-level failure: the session ends with GOAWAY carrying `errorCode`. */
export class H2ConnectionError extends Error {
  override readonly name = 'H2ConnectionError';
  /** Read by the proxy's error mapping: a peer that breaks HTTP/2 is a protocol error. */
  readonly code = 'ERR_HTTP2_ERROR';
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** The content of a PADDED frame (its first octet is the padding length). */
export function unpad(payload: Buffer): Buffer {
  const padding = payload[0] ?? 0;
  if (payload.length < 1 + padding) throw new H2ConnectionError(ErrorCode.PROTOCOL_ERROR, 'padding exceeds the frame');
  return payload.subarray(1, payload.length - padding);
}

/** One frame: a 9-octet header, then the payload. */
export function frame(type: number, flags: number, streamId: number, payload?: Uint8Array): Buffer {
  const length = payload?.length ?? 0;
  const out = Buffer.allocUnsafe(9 + length);
  out.writeUIntBE(length, 0, 3);
  out[3] = type;
  out[4] = flags;
  out.writeUInt32BE(streamId & 0x7fffffff, 5);
  if (payload) out.set(payload, 9);
  return out;
}

export function settingsFrame(settings: readonly (readonly [number, number])[]): Buffer {
  const payload = Buffer.allocUnsafe(settings.length * 6);
  settings.forEach(([id, value], i) => {
    payload.writeUInt16BE(id, i * 6);
    payload.writeUInt32BE(value, i * 6 + 2);
  });
  return frame(FrameType.SETTINGS, 0, 0, payload);
}

export function windowUpdateFrame(streamId: number, increment: number): Buffer {
  const payload = Buffer.allocUnsafe(4);
  payload.writeUInt32BE(increment, 0);
  return frame(FrameType.WINDOW_UPDATE, 0, streamId, payload);
}

export function rstStreamFrame(streamId: number, code: number): Buffer {
  const payload = Buffer.allocUnsafe(4);
  payload.writeUInt32BE(code, 0);
  return frame(FrameType.RST_STREAM, 0, streamId, payload);
}

export function goawayFrame(lastStreamId: number, code: number): Buffer {
  const payload = Buffer.allocUnsafe(8);
  payload.writeUInt32BE(lastStreamId, 0);
  payload.writeUInt32BE(code, 4);
  return frame(FrameType.GOAWAY, 0, 0, payload);
}

export type FrameHandler = (type: number, flags: number, streamId: number, payload: Buffer) => void;
/** Checks the head of a frame whose payload has not fully arrived (throws to refuse it). */
export type FrameHeadCheck = (type: number, flags: number, streamId: number, length: number) => void;

/**
 * Cuts a byte stream into frames. Frames longer than `maxFrameSize` (our SETTINGS_MAX_FRAME_SIZE) are a
 * FRAME_SIZE_ERROR. A frame split across reads is joined; several in one read are handed out as views of it.
 */
export class FrameReader {
  private pending: Buffer | undefined;

  constructor(
    private readonly maxFrameSize: number,
    private readonly onFrame: FrameHandler,
    private readonly onIncomplete?: FrameHeadCheck,
  ) {}

  push(chunk: Buffer): void {
    let data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = undefined;
    let offset = 0;
    while (data.length - offset >= 9) {
      const length = data.readUIntBE(offset, 3);
      if (length > this.maxFrameSize) {
        throw new H2ConnectionError(ErrorCode.FRAME_SIZE_ERROR, `frame of ${length} octets exceeds ${this.maxFrameSize}`);
      }
      if (data.length - offset < 9 + length) {
        this.onIncomplete?.(data[offset + 3] ?? 0, data[offset + 4] ?? 0, data.readUInt32BE(offset + 5) & 0x7fffffff, length);
        break;
      }
      const type = data[offset + 3] ?? 0;
      const flags = data[offset + 4] ?? 0;
      const streamId = data.readUInt32BE(offset + 5) & 0x7fffffff;
      const payload = data.subarray(offset + 9, offset + 9 + length);
      offset += 9 + length;
      this.onFrame(type, flags, streamId, payload);
    }
    if (offset < data.length) {
      data = data.subarray(offset);
      // Keep a copy: a view would pin the whole read buffer for as long as the frame is incomplete.
      this.pending = Buffer.from(data);
    }
  }
}

/** The settings the proxy acts on from a SETTINGS payload, each checked (RFC 9113 §6.5.2). */
export interface PeerSettings {
  headerTableSize?: number;
  enablePush?: number;
  maxConcurrentStreams?: number;
  initialWindowSize?: number;
  maxFrameSize?: number;
}

export function readSettings(payload: Buffer): PeerSettings {
  if (payload.length % 6 !== 0) throw new H2ConnectionError(ErrorCode.FRAME_SIZE_ERROR, 'SETTINGS of the wrong size');
  const settings: PeerSettings = {};
  for (let offset = 0; offset < payload.length; offset += 6) {
    const id = payload.readUInt16BE(offset);
    const value = payload.readUInt32BE(offset + 2);
    if (id === Setting.HEADER_TABLE_SIZE) settings.headerTableSize = value;
    else if (id === Setting.ENABLE_PUSH) {
      if (value > 1) throw new H2ConnectionError(ErrorCode.PROTOCOL_ERROR, 'invalid ENABLE_PUSH');
      settings.enablePush = value;
    }    else if (id === Setting.MAX_CONCURRENT_STREAMS) settings.maxConcurrentStreams = value;
    else if (id === Setting.INITIAL_WINDOW_SIZE) {
      if (value > MAX_WINDOW) throw new H2ConnectionError(ErrorCode.FLOW_CONTROL_ERROR, 'initial window too large');
      settings.initialWindowSize = value;
    } else if (id === Setting.MAX_FRAME_SIZE) {
      if (value < DEFAULT_MAX_FRAME || value > 16_777_215) throw new H2ConnectionError(ErrorCode.PROTOCOL_ERROR, 'invalid MAX_FRAME_SIZE');
      settings.maxFrameSize = value;
    }
  }
  return settings;
}

/**
 * What a server sends first (its connection preface is this SETTINGS frame): push off, the stream window and the
 * limits it holds clients to, and the connection window opened wider.
 */
export function serverPreface(streamWindow: number, sessionWindow: number, maxConcurrentStreams: number, maxHeaderListSize: number): Buffer {
  return Buffer.concat([
    settingsFrame([
      [Setting.MAX_CONCURRENT_STREAMS, maxConcurrentStreams],
      [Setting.ENABLE_PUSH, 0],
      [Setting.INITIAL_WINDOW_SIZE, streamWindow],
      [Setting.MAX_HEADER_LIST_SIZE, maxHeaderListSize],
    ]),
    windowUpdateFrame(0, sessionWindow - DEFAULT_WINDOW),
  ]);
}

/** What a client sends first: the preface, its SETTINGS (no push), and the connection window opened wider. */
export function clientPreface(streamWindow: number, sessionWindow: number, maxHeaderListSize: number): Buffer {
  return Buffer.concat([
    PREFACE,
    settingsFrame([
      [Setting.ENABLE_PUSH, 0],
      [Setting.INITIAL_WINDOW_SIZE, streamWindow],
      [Setting.MAX_HEADER_LIST_SIZE, maxHeaderListSize],
    ]),
    windowUpdateFrame(0, sessionWindow - DEFAULT_WINDOW),
  ]);
}
