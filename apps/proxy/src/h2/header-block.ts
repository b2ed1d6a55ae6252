import { ErrorCode, Flag, H2ConnectionError, unpad } from './frame.js';

/** A complete header block: its stream and the flags of its HEADERS frame (END_STREAM). */
export interface HeaderBlock {
  readonly streamId: number;
  readonly flags: number;
  readonly block: Buffer;
}

/**
 * Joins a HEADERS frame and its CONTINUATIONs into one header block (RFC 9113 §6.2, §6.10), stripping padding and
 * priority. Nothing may come between them; a block larger than `maxBlockBytes` is refused before it is buffered
 * further.
 */
export class HeaderBlocks {
  private continuing: { streamId: number; flags: number; parts: Buffer[]; size: number } | undefined;

  constructor(private readonly maxBlockBytes: number) {}

  /** True while CONTINUATIONs are owed: any other frame is then a protocol error. */
  get open(): boolean {
    return this.continuing !== undefined;
  }

  /** A HEADERS frame: its block when END_HEADERS is set, else undefined until the last CONTINUATION. */
  headers(flags: number, streamId: number, payload: Buffer): HeaderBlock | undefined {
    let fragment = payload;
    if (flags & Flag.PADDED) fragment = unpad(fragment);
    if (flags & Flag.PRIORITY) {
      if (fragment.length < 5) throw new H2ConnectionError(ErrorCode.FRAME_SIZE_ERROR, 'HEADERS too short for its priority');
      fragment = fragment.subarray(5);
    }
    if (flags & Flag.END_HEADERS) return { streamId, flags, block: fragment };
    // Copied: the frame is a view of a read buffer that will be reused.
    this.continuing = { streamId, flags, parts: [Buffer.from(fragment)], size: fragment.length };
    return undefined;
  }

  continuation(flags: number, streamId: number, payload: Buffer): HeaderBlock | undefined {
    const block = this.continuing;
    if (!block || block.streamId !== streamId) throw new H2ConnectionError(ErrorCode.PROTOCOL_ERROR, 'unexpected CONTINUATION');
    block.size += payload.length;
    if (block.size > this.maxBlockBytes) throw new H2ConnectionError(ErrorCode.PROTOCOL_ERROR, 'header block too large');
    block.parts.push(Buffer.from(payload));
    if (!(flags & Flag.END_HEADERS)) return undefined;
    this.continuing = undefined;
    return { streamId, flags: block.flags, block: Buffer.concat(block.parts) };
  }
}

/** Pseudo-header fields lead the list (RFC 9113 §8.3); the proxy's stages carry only regular fields. */
export function withoutPseudo(fields: string[]): string[] {
  let start = 0;
  while (start < fields.length && (fields[start] ?? '').startsWith(':')) start += 2;
  return start === 0 ? fields : fields.slice(start);
}
