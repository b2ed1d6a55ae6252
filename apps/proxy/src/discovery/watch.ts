import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { type DestinationsTable, parseDestinations } from './destinations.js';

export interface DestinationsFileWatch {
  close(): void;
}

/**
 * Keeps a DestinationsTable in step with PROXY_DESTINATIONS_FILE. Polling the file's stat (rather than fs.watch)
 * survives the write-to-temp-then-rename that the runtime and editors use, which replaces the inode fs.watch
 * follows. A file that is missing or broken never empties the table: the last good one keeps serving.
 */
export function watchDestinationsFile(path: string, table: DestinationsTable, log: Logger, pollIntervalMs = 500): DestinationsFileWatch {
  const flog = log.child({ destinationsFile: path });

  const apply = (text: string): void => {
    try {
      const warnings = table.replace(parseDestinations(text));
      for (const warning of warnings) flog.warn({ problem: warning }, 'destinations file: a route backend is not in discovery');
      flog.info({ services: table.size }, 'destinations loaded');
    } catch (error) {
      flog.error({ reason: (error as Error).message }, 'destinations file rejected; keeping the previous table');
    }
  };

  try {
    apply(readFileSync(path, 'utf8'));
  } catch (error) {
    // The runtime may write the file after starting proxies, so a missing file is not fatal.
    flog.warn({ reason: (error as Error).message }, 'destinations file not readable yet; starting with no services');
  }

  let closed = false;
  let reading = Promise.resolve();
  const onChange = (current: { mtimeMs: number }): void => {
    if (current.mtimeMs === 0) {
      flog.warn('destinations file removed; keeping the previous table');
      return;
    }
    // Serialise reads so an older read cannot overwrite a newer one.
    reading = reading.then(() =>
      readFile(path, 'utf8').then(
        (text) => {
          if (!closed) apply(text);
        },
        (error: Error) => flog.error({ reason: error.message }, 'destinations file not readable; keeping the previous table'),
      ),
    );
  };
  watchFile(path, { interval: pollIntervalMs, persistent: false }, onChange);
  return {
    close: () => {
      closed = true;
      unwatchFile(path, onChange);
    },
  };
}
