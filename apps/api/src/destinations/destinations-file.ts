import { readFile } from 'node:fs/promises';
import { type ConfiguredSource, DestinationsFile } from '@meshviz/mesh-types';
import type { FastifyBaseLogger } from 'fastify';

/** The discovery table as last read, or why there is none. */
export interface ConfiguredTable {
  table: DestinationsFile | null;
  source: ConfiguredSource;
}

/** Where the configured outbound policy comes from: the discovery table the control plane keeps current. */
export interface DestinationsSource {
  read(): Promise<ConfiguredTable>;
}

const VARIABLE = 'API_DESTINATIONS_FILE';

const unknown = (reason: string): ConfiguredTable => ({ table: null, source: { known: false, reason } });

/** No file configured: every configured field is null, and the answers say so. */
export const NO_DESTINATIONS: DestinationsSource = {
  read: async () => unknown(`the configured policy is not known: the API has no destinations file (${VARIABLE} is not set)`),
};

/** What the public answer says of a file that could not be read; the log has the path and the error. */
function unreadable(error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') return `the configured policy is not known: the destinations file (${VARIABLE}) does not exist (yet)`;
  return `the configured policy is not known: the destinations file (${VARIABLE}) cannot be read (${error.code ?? 'error'})`;
}

function invalid(detail: string): string {
  return `the configured policy is not known: the destinations file (${VARIABLE}) is not a valid destinations file: ${detail}`;
}

/**
 * The destinations file at `file`, as it is now: read on every call (one small read; the API's answers are cached
 * apart), parsed again only when its text changed, so an edit in place or a new file renamed over it is seen at
 * once whatever the file system's timestamp resolution. A file that is missing, unreadable or invalid is not an
 * error of the call: the configured fields are null with the reason. Concurrent calls share one read.
 */
export function destinationsSource(file: string, log: FastifyBaseLogger): DestinationsSource {
  let version = '';
  let last: ConfiguredTable | null = null;
  let pending: Promise<ConfiguredTable> | null = null;
  const remember = (next: ConfiguredTable, text: string, detail?: unknown): ConfiguredTable => {
    if (last?.source.reason !== next.source.reason) {
      if (next.source.known) log.info({ file }, 'destinations file read');
      else log.warn({ file, detail }, next.source.reason ?? 'destinations file not read');
    }
    version = text;
    last = next;
    return next;
  };
  const load = async (): Promise<ConfiguredTable> => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      return remember(unknown(unreadable(error as NodeJS.ErrnoException)), '', error);
    }
    if (last?.source.known && text === version) return last;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      return remember(unknown(invalid(`not JSON (${(error as Error).message})`)), text, error);
    }
    const parsed = DestinationsFile.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? issue.path.join('.') : 'the document';
      return remember(unknown(invalid(`${where}: ${issue?.message ?? 'invalid'}`)), text, parsed.error.issues);
    }
    return remember({ table: parsed.data, source: { known: true, reason: null } }, text);
  };
  return {
    read() {
      pending ??= load().finally(() => {
        pending = null;
      });
      return pending;
    },
  };
}
