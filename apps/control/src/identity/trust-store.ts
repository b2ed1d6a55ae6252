import { unwatchFile, watchFile } from 'node:fs';
import { join } from 'node:path';
import { type CaMaterial, inspectCertificate, readTrustFiles, splitPemBundle, TRUST_FILES } from '@meshviz/identity';
import type { Logger } from 'pino';
import type { ControlMetrics } from '../metrics.js';

/** The trust material in use: anchors and issuer, checked to fit together when they were read. */
export interface LoadedTrust {
  readonly anchorsPem: readonly string[];
  readonly issuer: CaMaterial;
  readonly issuerNotAfter: Date;
  readonly earliestAnchorNotAfter: Date;
  /** Counts loads, so watchers can tell one issuer from the next. */
  readonly generation: number;
}

export interface TrustStore {
  /** The last good material; undefined until the first good load. */
  current(): LoadedTrust | undefined;
  /** Called after every good load (not for refused ones). */
  onLoad(listener: (trust: LoadedTrust) => void): void;
  /** Loads now; resolves once this load and any change seen during it are done. */
  reload(): Promise<void>;
  close(): void;
}

export interface TrustStoreOptions {
  dir: string;
  pollIntervalMs: number;
  log: Logger;
  metrics: ControlMetrics;
}

/** Files the identity service reads; never ca.key, so the anchor key need not be mounted beside it. */
const WATCHED = [TRUST_FILES.anchorCert, TRUST_FILES.issuerCert, TRUST_FILES.issuerKey];

/**
 * Holds the trust files' material and reloads it when they change, without a restart. Stat polling (fs.watchFile)
 * rather than inotify: it follows a path across rename-over-replace (how writeTrustFiles and Kubernetes' secret
 * volumes update files) and across the directory appearing later. A set that does not fit together is refused,
 * with a log naming the file, and the last good material keeps serving.
 */
export async function openTrustStore(options: TrustStoreOptions): Promise<TrustStore> {
  const { dir, log, metrics } = options;
  const listeners: ((trust: LoadedTrust) => void)[] = [];
  let current: LoadedTrust | undefined;
  let generation = 0;
  let running: Promise<void> | undefined;
  let again = false;

  async function loadOnce(): Promise<void> {
    try {
      const material = await readTrustFiles(dir);
      const anchorsPem = splitPemBundle(material.anchorsPem);
      // A touched file with the same contents is no new issuer.
      if (
        current?.issuer.certPem === material.issuer.certPem &&
        current.issuer.keyPem === material.issuer.keyPem &&
        current.anchorsPem.join('') === anchorsPem.join('')
      ) {
        return;
      }
      const next: LoadedTrust = {
        anchorsPem,
        issuer: material.issuer,
        issuerNotAfter: inspectCertificate(material.issuer.certPem).notAfter,
        earliestAnchorNotAfter: new Date(Math.min(...anchorsPem.map((pem) => inspectCertificate(pem).notAfter.getTime()))),
        generation: ++generation,
      };
      current = next;
      metrics.issuerReloaded('ok');
      metrics.trustExpiry(next.issuerNotAfter, next.earliestAnchorNotAfter);
      log.info(
        { dir, anchors: anchorsPem.length, issuerNotAfter: next.issuerNotAfter.toISOString(), generation: next.generation },
        'trust files loaded',
      );
      for (const listener of listeners) listener(next);
    } catch (error) {
      metrics.issuerReloaded('refused');
      const file = (error as { file?: string }).file;
      log.error(
        { file, err: { message: (error as Error).message }, keeping: current ? `generation ${current.generation}` : 'nothing' },
        current ? 'trust files refused; the last good issuer keeps serving' : 'trust files refused; no issuer yet',
      );
    }
  }

  function reload(): Promise<void> {
    if (running) {
      // A change while a load runs may have been missed by it: load once more afterwards.
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await loadOnce();
      } while (again);
      running = undefined;
    })();
    return running;
  }

  await reload();
  const listener = () => void reload();
  const files = WATCHED.map((name) => join(dir, name));
  for (const file of files) watchFile(file, { interval: options.pollIntervalMs, persistent: false }, listener);

  return {
    current: () => current,
    onLoad: (listener) => {
      listeners.push(listener);
    },
    reload,
    close: () => {
      for (const file of files) unwatchFile(file, listener);
    },
  };
}
