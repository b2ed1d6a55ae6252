import { logDestination } from '@meshviz/runtime/log-destination';
import pino, { type Logger } from 'pino';
import type { LogLevel } from './config.js';

/** Structured JSON logs on stdout; the runtime collects them per process. */
export function createLogger(level: LogLevel): Logger {
  return pino({ name: 'meshviz-proxy', level }, logDestination());
}
