import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { DestinationsTable, parseDestinations } from './destinations.js';

export interface DestinationsSource {
  readonly table: DestinationsTable;
  close(): void;
}

/**
 * Keeps a DestinationsTable in step with PROXY_DESTINATIONS_FILE. Polling the file's stat (rather than fs.watch)
 * survives the write-to-temp-then-rename that the runtime and editors use, which replaces the inode fs.watch
 * follows. A file that is missing or broken never empties the table: the last good one keeps serving.
 */
export function openDestinations(path: string | undefined, log: Logger, pollIntervalMs = 500): DestinationsSource {
  const table = new DestinationsTable();
  if (path === undefined) {
    log.info('no destinations file: every outbound request goes to its Host directly');
    return { table, close: () => {} };
  }
  const flog = log.child({ destinationsFile: path });

  const apply = (text: string): void => {
    try {
      table.replace(parseDestinations(text));
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

  let reading = Promise.resolve();
  const onChange = (current: { mtimeMs: number }): void => {
    if (current.mtimeMs === 0) {
      flog.warn('destinations file removed; keeping the previous table');
      return;
    }
    // Serialise reads so an older read cannot overwrite a newer one.
    reading = reading.then(() =>
      readFile(path, 'utf8').then(apply, (error: Error) =>
        flog.error({ reason: error.message }, 'destinations file not readable; keeping the previous table'),
      ),
    );
  };
  watchFile(path, { interval: pollIntervalMs, persistent: false }, onChange);
  return { table, close: () => unwatchFile(path, onChange) };
}
