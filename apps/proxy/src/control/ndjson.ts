/**
 * Splits a byte stream into NDJSON lines (UTF-8, `\n`-terminated, a trailing `\r` dropped, blank lines skipped).
 * A line may arrive in many chunks; one longer than `maxBytes` is refused with an Error saying so, so a peer that
 * never sends a newline cannot make the proxy buffer without bound.
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;

  constructor(private readonly maxBytes: number) {}

  /** The lines this chunk completes. */
  push(chunk: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(10, start);
      if (newline < 0) break;
      const piece = chunk.subarray(start, newline);
      this.check(piece.length);
      const bytes = this.size === 0 ? piece : Buffer.concat([...this.parts, piece]);
      this.parts = [];
      this.size = 0;
      start = newline + 1;
      const line = bytes.toString('utf8').replace(/\r$/, '');
      if (line.trim() !== '') lines.push(line);
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      this.check(rest.length);
      this.parts.push(rest);
      this.size += rest.length;
    }
    return lines;
  }

  private check(more: number): void {
    if (this.size + more > this.maxBytes) throw new Error(`a line longer than ${this.maxBytes} bytes`);
  }
}
