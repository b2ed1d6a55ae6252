import { writeSync } from 'node:fs';

/** What a pino logger writes to; `dropped` counts lines that could not be written. */
export interface LogDestination {
  write(line: string): void;
  readonly dropped: number;
}

const pause = new Int32Array(new SharedArrayBuffer(4));
const sleepMs = (ms: number): void => {
  Atomics.wait(pause, 0, 0, ms);
};

/**
 * Where a meshviz process' JSON log lines go (standard output unless `fd` says otherwise), written synchronously:
 * a line is out before the next statement runs and nothing is left to flush at exit. A synchronous writer must
 * not wait for ever, though. A reader that is gone (the runtime collecting the lines was killed: EPIPE, or any
 * other error) ends the output for good; a reader that stops reading (EAGAIN from a full non-blocking pipe) is
 * waited for up to `maxWaitMs` per line, then that line is dropped. pino's default writer retries a failed flush
 * in its exit handler for ever: a control plane whose runtime had been killed hung there and never exited.
 */
export function logDestination(fd = 1, maxWaitMs = 1000): LogDestination {
  let closed = false;
  let dropped = 0;
  const writeAll = (line: string): void => {
    let rest: Buffer | undefined;
    let waited = 0;
    for (;;) {
      try {
        if (rest === undefined) {
          const written = writeSync(fd, line);
          if (written === Buffer.byteLength(line)) return;
          rest = Buffer.from(line).subarray(written);
        } else {
          rest = rest.subarray(writeSync(fd, rest));
          if (rest.length === 0) return;
        }
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const full = code === 'EAGAIN' || code === 'EBUSY';
        if (full && waited < maxWaitMs) {
          sleepMs(5);
          waited += 5;
          continue;
        }
        if (!full) closed = true;
        dropped++;
        return;
      }
    }
  };
  return {
    get dropped() {
      return dropped;
    },
    write(line: string) {
      if (closed) dropped++;
      else writeAll(line);
    },
  };
}
