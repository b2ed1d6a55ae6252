import { logDestination } from '@meshviz/runtime/log-destination';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config.js';

const REDACTED = [
  'token',
  '*.token',
  'keyPem',
  '*.keyPem',
  'certificateSigningRequest',
  '*.certificateSigningRequest',
  'req.headers.authorization',
  'headers.authorization',
];

/**
 * Structured JSON logs, on stdout unless a destination is given (tests keep the lines). Tokens, keys and CSRs are
 * never logged; the redaction is a second line of defence for a field logged by mistake, not a licence to log
 * request bodies.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = { name: 'meshviz-control', level, redact: { paths: REDACTED, censor: '[redacted]' } };
  return pino(options, destination ?? logDestination());
}
