/**
 * A header block that cannot be decoded (RFC 7541 §3: a COMPRESSION_ERROR, fatal to the connection because the
 * dynamic table can no longer be trusted). The only error the decoder throws on hostile input.
 */
export class HpackError extends Error {
  override readonly name = 'HpackError';
  readonly code = 'COMPRESSION_ERROR';
}
