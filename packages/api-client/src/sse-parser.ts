/**
 * The event-stream format of the HTML standard ("Server-sent events", interpreting an event stream), for streams
 * read with fetch(): EventSource cannot send the tap token's header. Lines end in LF, CRLF or CR, also when a CRLF
 * is split between two chunks; one leading byte order mark is dropped; `:` starts a comment; one space after the
 * field's colon is dropped; `data` lines join with LF; `id` is kept unless it holds NUL; `retry` takes digits only;
 * a blank line dispatches; an event without data is not dispatched; an unfinished event at the end is dropped.
 */

export interface SseMessage {
  /** The `event` field, "message" when absent. */
  event: string;
  data: string;
  /** The last event id of the stream when this event was dispatched ("" before any). */
  id: string;
}

export interface SseHandlers {
  message: (message: SseMessage) => void;
  /** A `retry` field: the reconnection time the server asks for, in milliseconds. */
  retry?: (ms: number) => void;
}

const DIGITS = /^[0-9]+$/;

export class SseParser {
  private pending = '';
  /** The previous chunk ended in CR: an LF at the start of the next one belongs to that line ending. */
  private afterCr = false;
  private started = false;
  private eventType = '';
  private data: string[] = [];
  private lastId = '';
  private reconnectionMs: number | null = null;

  constructor(private readonly handlers: SseHandlers) {}

  /** The reconnection time the stream asked for so far, or null. */
  get retryMs(): number | null {
    return this.reconnectionMs;
  }

  /** Feeds decoded text; every event it completes is dispatched before this returns. */
  push(text: string): void {
    let chunk = text;
    if (!this.started && chunk.length > 0) {
      this.started = true;
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
    }
    if (text.length > 0) {
      if (this.afterCr && chunk.startsWith('\n')) chunk = chunk.slice(1);
      this.afterCr = false;
    }
    const buffer = this.pending + chunk;
    let from = 0;
    for (;;) {
      const end = lineEnd(buffer, from);
      if (end === -1) break;
      this.line(buffer.slice(from, end));
      if (buffer.charCodeAt(end) === 0x0d) {
        if (end + 1 === buffer.length) {
          // Whether an LF follows is for the next chunk to say.
          this.afterCr = true;
          from = end + 1;
          break;
        }
        from = buffer.charCodeAt(end + 1) === 0x0a ? end + 2 : end + 1;
      } else {
        from = end + 1;
      }
    }
    this.pending = buffer.slice(from);
  }

  /** The stream ended: a half-received event is dropped, as the standard says. */
  end(): void {
    this.pending = '';
    this.afterCr = false;
    this.eventType = '';
    this.data = [];
  }

  private line(line: string): void {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.charCodeAt(0) === 0x3a) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 0x20) value = value.slice(1);
    switch (field) {
      case 'event':
        this.eventType = value;
        break;
      case 'data':
        this.data.push(value);
        break;
      case 'id':
        if (!value.includes('\u0000')) this.lastId = value;
        break;
      case 'retry':
        if (DIGITS.test(value)) {
          this.reconnectionMs = Number.parseInt(value, 10);
          this.handlers.retry?.(this.reconnectionMs);
        }
        break;
      default:
      // Unknown fields are ignored.
    }
  }

  private dispatch(): void {
    const data = this.data;
    const event = this.eventType || 'message';
    this.data = [];
    this.eventType = '';
    if (data.length === 0) return;
    this.handlers.message({ event, data: data.join('\n'), id: this.lastId });
  }
}

/** Where the next line ending (CR or LF) at or after `from` is, or -1. */
function lineEnd(text: string, from: number): number {
  const lf = text.indexOf('\n', from);
  const cr = text.indexOf('\r', from);
  if (lf === -1) return cr;
  if (cr === -1) return lf;
  return Math.min(lf, cr);
}

/**
 * Reads an event-stream body to its end. Resolves when the server ends the stream; rejects when reading fails (an
 * abort included) or a handler throws, after cancelling the body so the connection does not stay open behind it.
 */
export async function readSse(body: ReadableStream<Uint8Array>, handlers: SseHandlers): Promise<void> {
  const parser = new SseParser(handlers);
  // The parser drops the one byte order mark the standard allows; the decoder must leave it in place.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
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
    await reader.cancel(err).catch(() => {});
    throw err;
  } finally {
    reader.releaseLock();
  }
}
