import { unwatchFile, watchFile } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { inspectCertificate, splitPemBundle } from '@meshviz/identity';
import type { Logger } from 'pino';

/** The trust anchors of a process without the identity service: a PEM bundle (the anchors ConfigMap's ca-bundle.crt). */
export interface AnchorsFile {
  readonly file: string;
  /** The last good bundle, one PEM per certificate; undefined until the first good read. */
  current(): readonly string[] | undefined;
  /** Reads the file now; resolves to the bundle in force afterwards (throws when none has ever been good). */
  read(): Promise<readonly string[]>;
  /** Called after a read that changed the bundle. */
  onChange(listener: (anchorsPem: readonly string[]) => void): void;
  close(): void;
}

/**
 * Opens the anchors file and follows it (stat polling, which follows a ConfigMap volume's symlink swap). A file
 * that is missing, holds no certificate or one that does not parse is refused, logged naming the file, and the last
 * good bundle stays in force.
 */
export async function openAnchorsFile(options: { file: string; pollIntervalMs: number; log: Logger }): Promise<AnchorsFile> {
  const { file, log } = options;
  const listeners: ((anchorsPem: readonly string[]) => void)[] = [];
  let current: readonly string[] | undefined;

  async function read(): Promise<readonly string[]> {
    try {
      const anchors = splitPemBundle(await readFile(file, 'utf8'));
      if (anchors.length === 0) throw new Error('holds no PEM certificate');
      for (const pem of anchors) if (!inspectCertificate(pem).isCa) throw new Error(`${inspectCertificate(pem).subject} is not a CA certificate`);
      if (anchors.join('') !== current?.join('')) {
        current = anchors;
        log.info({ file, anchors: anchors.length }, 'trust anchors loaded');
        for (const listener of listeners) listener(anchors);
      }
    } catch (error) {
      const message = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : (error as Error).message;
      log.error({ file, err: { message } }, current ? 'trust anchors refused; the last good ones stay in force' : 'trust anchors refused; none loaded yet');
      if (!current) throw new Error(`${file}: ${message}`);
    }
    return current;
  }

  await read().catch(() => undefined);
  const listener = () => void read().catch(() => undefined);
  watchFile(file, { interval: options.pollIntervalMs, persistent: false }, listener);
  return {
    file,
    current: () => current,
    read,
    onChange: (l) => {
      listeners.push(l);
    },
    close: () => unwatchFile(file, listener),
  };
}
