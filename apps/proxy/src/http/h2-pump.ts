import type { Readable } from 'node:stream';

/** What the pump writes to: a Node HTTP/2 stream, or a stream of the proxy's own HTTP/2 client. */
export interface BodySink {
  readonly destroyed: boolean;
  write(chunk: Buffer): boolean;
  end(): void;
  once(event: 'drain', listener: () => void): unknown;
  off(event: 'drain', listener: () => void): unknown;
}

/**
 * Writes `source` into `sink` with backpressure and ends `sink` when `source` ends: what `pipe()` does for a
 * body between two HTTP/2 streams, with two listeners on the source (and one on the sink while it is full)
 * instead of pipe()'s seven, which showed per stream in the profile. A chunk arriving for a destroyed sink stops
 * the pump (the source, still flowing, drops the rest). Returns `stop`, after which nothing more is written; the
 * caller decides what becomes of the source (resume it to drain it, or destroy it).
 */
export function pump(source: Readable, sink: BodySink): () => void {
  let waiting = false;
  const resume = (): void => {
    waiting = false;
    source.resume();
  };
  const onData = (chunk: Buffer): void => {
    if (sink.destroyed) {
      stop();
      return;
    }
    if (!sink.write(chunk) && !waiting) {
      waiting = true;
      source.pause();
      sink.once('drain', resume);
    }
  };
  const onEnd = (): void => {
    if (!sink.destroyed) sink.end();
  };
  const stop = (): void => {
    source.off('data', onData);
    source.off('end', onEnd);
    if (waiting) sink.off('drain', resume);
  };
  // A source read to its end already (the retry stage peeks at answers that carry no message) only ends the sink.
  if (source.readableEnded) {
    process.nextTick(onEnd);
    return stop;
  }
  source.on('data', onData);
  source.once('end', onEnd);
  // A 'data' listener does not restart a source someone paused (the retry stage peeks at answers that way).
  source.resume();
  return stop;
}
