import { ErrorCode, FrameType, H2ConnectionError } from './frame.js';

/** What a server connection knows when it checks a frame head. */
export interface ServerFrameState {
  /** The client's SETTINGS arrived (its preface is complete). */
  readonly settingsSeen: boolean;
  /** A header block waits for its CONTINUATIONs. */
  readonly continuing: boolean;
  /** The highest stream id the client opened. */
  readonly lastId: number;
}

/**
 * The connection errors a server can tell from a frame's head alone (RFC 9113 §4–§6): checked before its payload
 * has arrived too, so a client whose input stops inside a frame the server would refuse anyway (a SETTINGS of the
 * wrong size, DATA on stream 0…) gets its GOAWAY at once instead of a connection held open.
 */
export function checkServerFrameHead(type: number, flags: number, id: number, length: number, state: ServerFrameState): void {
  if (state.continuing && type !== FrameType.CONTINUATION) fail(ErrorCode.PROTOCOL_ERROR, 'header block interrupted before END_HEADERS');
  // The client's preface ends with its SETTINGS (§3.4).
  if (!state.settingsSeen && type !== FrameType.SETTINGS) fail(ErrorCode.PROTOCOL_ERROR, 'preface without SETTINGS');
  switch (type) {
    case FrameType.DATA:
      if (id === 0 || id > state.lastId) fail(ErrorCode.PROTOCOL_ERROR, `DATA on idle stream ${id}`);
      return;
    case FrameType.HEADERS:
      if (id === 0 || id % 2 === 0) fail(ErrorCode.PROTOCOL_ERROR, `HEADERS on stream ${id}`);
      return;
    case FrameType.PRIORITY:
      if (id === 0) fail(ErrorCode.PROTOCOL_ERROR, 'PRIORITY on stream 0');
      if (length !== 5) fail(ErrorCode.FRAME_SIZE_ERROR, 'PRIORITY of the wrong size');
      return;
    case FrameType.RST_STREAM:
      if (length !== 4) fail(ErrorCode.FRAME_SIZE_ERROR, 'RST_STREAM of the wrong size');
      if (id === 0 || id > state.lastId) fail(ErrorCode.PROTOCOL_ERROR, `RST_STREAM on idle stream ${id}`);
      return;
    case FrameType.SETTINGS:
      if (id !== 0) fail(ErrorCode.PROTOCOL_ERROR, 'SETTINGS on a stream');
      if (flags & 0x1 ? length !== 0 : length % 6 !== 0) fail(ErrorCode.FRAME_SIZE_ERROR, 'SETTINGS of the wrong size');
      return;
    case FrameType.PUSH_PROMISE:
      fail(ErrorCode.PROTOCOL_ERROR, 'PUSH_PROMISE from a client');
      return;
    case FrameType.PING:
      if (id !== 0) fail(ErrorCode.PROTOCOL_ERROR, 'PING on a stream');
      if (length !== 8) fail(ErrorCode.FRAME_SIZE_ERROR, 'PING of the wrong size');
      return;
    case FrameType.GOAWAY:
      if (id !== 0) fail(ErrorCode.PROTOCOL_ERROR, 'GOAWAY on a stream');
      if (length < 8) fail(ErrorCode.FRAME_SIZE_ERROR, 'GOAWAY too short');
      return;
    case FrameType.WINDOW_UPDATE:
      if (length !== 4) fail(ErrorCode.FRAME_SIZE_ERROR, 'WINDOW_UPDATE of the wrong size');
      if (id > state.lastId) fail(ErrorCode.PROTOCOL_ERROR, `WINDOW_UPDATE on idle stream ${id}`);
      return;
    default:
      // CONTINUATION is checked against its block by HeaderBlocks; unknown types carry nothing (§5.5).
      return;
  }
}

function fail(code: number, message: string): never {
  throw new H2ConnectionError(code, message);
}
