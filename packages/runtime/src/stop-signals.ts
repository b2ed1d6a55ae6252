import type { Logger } from 'pino';
import { watchParent } from './parent-watch.js';

export interface Stoppable {
  /** Finishes what is in flight and releases everything; resolves when done. */
  shutdown(): Promise<void>;
}

/**
 * A meshviz process' way out: SIGTERM, SIGINT, or its parent (the local runtime) gone start a graceful shutdown,
 * then the process exits 0 (1 if the shutdown failed). A second request while stopping exits at once with 1.
 * `fields` go on the "shutting down" line (e.g. the grace period). A shutdown that has not finished within
 * `deadlineMs` (STOP_DEADLINE_MS unless said) exits with 1 and says so: nothing outlives the runtime that started it
 * because something it waits for never ends. Pass the service's start (a promise) and call this before awaiting
 * it, so a signal during the start is handled too.
 */
/** How long a graceful shutdown may take before the process exits anyway. */
export const STOP_DEADLINE_MS = 30_000;

export function stopOnSignals(
  service: Stoppable | Promise<Stoppable>,
  options: { log: Logger; parentPid: number | undefined; fields?: Record<string, unknown>; deadlineMs?: number },
): void {
  const { log } = options;
  let stopping = false;
  const stop = (reason: string): void => {
    if (stopping) {
      log.warn({ reason }, 'second stop request; exiting without waiting for what is in flight');
      process.exit(1);
    }
    stopping = true;
    log.info({ reason, ...options.fields }, 'shutting down');
    const deadlineMs = options.deadlineMs ?? STOP_DEADLINE_MS;
    setTimeout(() => {
      log.error({ deadlineMs }, 'shutdown did not finish in time; exiting without waiting any longer');
      process.exit(1);
    }, deadlineMs).unref();
    // A signal that comes while the service is still starting (it may already have said it is ready) waits for
    // the start, then stops it: registered before the start, so no signal meets Node's default of dying at once.
    Promise.resolve(service)
      .then((started) => started.shutdown())
      .then(
        () => {
          log.info('shutdown complete');
          process.exit(0);
        },
        (error: unknown) => {
          log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  const { parentPid } = options;
  if (parentPid !== undefined) watchParent(parentPid, () => stop(`parent process ${parentPid} exited`));
}
