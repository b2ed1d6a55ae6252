/**
 * A Server-Sent Events parser for streams read with fetch() (EventSource cannot send the tap token's header).
 * It follows the event-stream rules of the HTML standard: lines end in LF, CRLF or CR (also when a CRLF is split
 * between two chunks), `:` starts a comment, one space after the colon is dropped, `data` lines join with LF, a
 * blank line dispatches, an event without data is not dispatched, and an unfinished event at the end is dropped.
 */

export interface SseMessage {
  /** The `event` field, "message" when absent. */
  event: string;
  data: string;
  /** The last `id` seen on the stream so far ("" before any). */
  id: string;
}

export class SseParser {
  private buffer = '';
  /** The previous chunk ended in CR: an LF at the start of the next one belongs to that line ending. */
  private skipLf = false;
  private started = false;
  private event = '';
  private data: string[] = [];
  private lastId = '';

  constructor(private readonly onMessage: (message: SseMessage) => void) {}

  /** Feeds decoded text; complete events are dispatched before this returns. */
  push(text: string): void {
    let chunk = text;
    if (!this.started && chunk.length > 0) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    if (this.skipLf && chunk.startsWith('\n')) chunk = chunk.slice(1);
    this.skipLf = false;
    this.buffer += chunk;
    let from = 0;
    const buffer = this.buffer;
    for (;;) {
      const lf = buffer.indexOf('\n', from);
      const cr = buffer.indexOf('\r', from);
      if (lf === -1 && cr === -1) break;
      const end = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
      this.line(buffer.slice(from, end));
      if (buffer[end] === '\r') {
        if (end + 1 === buffer.length) {
          this.skipLf = true;
          from = end + 1;
          break;
        }
        from = buffer[end + 1] === '\n' ? end + 2 : end + 1;
      } else {
        from = end + 1;
      }
    }
    this.buffer = buffer.slice(from);
  }

  /** The stream ended: a half-received event is dropped, as EventSource does. */
  end(): void {
    this.buffer = '';
    this.event = '';
    this.data = [];
  }

  private line(line: string): void {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\u0000')) this.lastId = value;
    // `retry` and unknown fields mean nothing to a fetch() reader.
  }

  private dispatch(): void {
    const event = this.event || 'message';
    const data = this.data;
    this.event = '';
    this.data = [];
    if (data.length === 0) return;
    this.onMessage({ event, data: data.join('\n'), id: this.lastId });
  }
}

/**
 * Reads an event-stream body to its end, calling `onMessage` for each event. Resolves when the server ends the
 * stream; rejects when reading fails (an abort included) or when `onMessage` throws, after closing the stream.
 */
export async function readSse(body: ReadableStream<Uint8Array>, onMessage: (message: SseMessage) => void): Promise<void> {
  const parser = new SseParser(onMessage);
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.push(decoder.decode(value, { stream: true }));
    }
    parser.push(decoder.decode());
    parser.end();
  } catch (err) {
    // A handler that throws (a malformed event) must not leave the connection open behind it.
    await reader.cancel(err).catch(() => {});
    throw err;
  } finally {
    reader.releaseLock();
  }
}
