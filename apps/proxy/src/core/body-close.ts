import type { Readable } from 'node:stream';

/**
 * Calls `fn` once `body` has closed, including when it closed already. An HTTP/2 response that ends with its
 * headers (a trailers-only gRPC answer) is ended and closed by Node on its own, before the stages that awaited
 * the response get to subscribe; a plain once('close') would then never fire and the exchange would go uncounted.
 * Node keeps no public flag for "close was emitted" on Http2Streams (their `closed` means something else), hence
 * the stream state.
 */
export function whenClosed(body: Readable, fn: () => void): void {
  if (closedAlready(body)) fn();
  else body.once('close', fn);
}

/** Whether `body` has emitted 'close' already (see whenClosed). */
export function closedAlready(body: Readable): boolean {
  return (body as { _readableState?: { closeEmitted?: boolean } })._readableState?.closeEmitted === true;
}
