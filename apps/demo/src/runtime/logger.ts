import { logDestination } from '@meshviz/runtime/log-destination';
import { type Logger, pino } from 'pino';

export type { Logger };

/** One JSON line per event on stdout; the local launcher keeps these per process. */
export function createLogger(name: string, bindings: Record<string, string> = {}): Logger {
  return pino({ name, base: { pid: process.pid, ...bindings } }, logDestination());
}
