import type { Readable } from 'node:stream';

/**
 * Waits until a response body either delivers its first bytes (`data`: they are put back, nothing is lost) or ends
 * without any (`ended`: its trailers are known), or closes cut short (`closed`). The retry stage uses it to read the
 * grpc-status of an answer that carries it in trailers after no message at all, before deciding to retry.
 */
export function peekEnd(body: Readable): Promise<'data' | 'ended' | 'closed'> {
  if (body.readableEnded) return Promise.resolve('ended');
  if (body.destroyed) return Promise.resolve('closed');
  return new Promise((resolve) => {
    const done = (result: 'data' | 'ended' | 'closed'): void => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      body.pause();
      body.unshift(chunk);
      done('data');
    };
    const onEnd = (): void => done('ended');
    const onClose = (): void => done(body.readableEnded ? 'ended' : 'closed');
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('close', onClose);
  });
}
