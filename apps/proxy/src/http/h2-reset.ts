import { constants, type Http2Stream } from 'node:http2';

/**
 * Resets an HTTP/2 stream so that the peer sees an incomplete message. Node's `close(code)` ends the writable
 * side first when it is still open, which sends END_STREAM before the RST_STREAM: the peer would take a cut body
 * for a complete one. So `close` is used only once our side has ended (the code then arrives as given, e.g.
 * CANCEL); otherwise the stream is destroyed, which sends RST_STREAM at once (INTERNAL_ERROR).
 */
export function resetStream(stream: Http2Stream, code: number, reason?: Error): void {
  if (stream.destroyed) return;
  if (stream.writableEnded && !stream.closed) stream.close(code);
  stream.destroy(reason ?? (code === constants.NGHTTP2_NO_ERROR ? undefined : new Error(`stream reset (${code})`)));
}
