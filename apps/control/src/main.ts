#!/usr/bin/env node
import { formatHostPort, stopOnSignals } from '@meshviz/runtime';
import { ConfigError, type ControlConfig, loadConfig } from './config.js';
import { startControl } from './control.js';
import { createLogger } from './log.js';

/** Exit code for bad configuration, distinct from a runtime failure (1). */
const EXIT_CONFIG = 2;

let config: ControlConfig;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`meshviz-control: ${error.message}\n`);
  process.exit(EXIT_CONFIG);
}

const log = createLogger(config.logLevel);
const starting = startControl(config, { log }).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`meshviz-control: ${error.message}\n`);
    process.exit(EXIT_CONFIG);
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    const where = formatHostPort({ host: (error as { address?: string }).address ?? '?', port: (error as { port?: number }).port ?? 0 });
    process.stderr.write(`meshviz-control: ${where} is already in use; set CONTROL_IDENTITY_LISTEN_ADDR, CONTROL_POLICY_LISTEN_ADDR, CONTROL_DESTINATION_LISTEN_ADDR or CONTROL_ADMIN_LISTEN_ADDR\n`);
    process.exit(1);
  }
  log.fatal({ err: error }, 'control plane failed to start');
  process.exit(1);
});

// Registered before the start completes, so a signal during the start is a graceful stop too.
stopOnSignals(starting, { log, parentPid: config.parentPid });
