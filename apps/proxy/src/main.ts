#!/usr/bin/env node
import { ConfigError, loadConfig, type ProxyConfig } from './config.js';
import { watchParent } from '@meshviz/runtime';
import { createLogger } from './log.js';
import { startProxy } from './proxy.js';

/** Exit code for bad configuration, distinct from a runtime failure (1). */
const EXIT_CONFIG = 2;

let config: ProxyConfig;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`meshviz-proxy: ${error.message}\n`);
  process.exit(EXIT_CONFIG);
}

const log = createLogger(config.logLevel);
const proxy = await startProxy(config, { log }).catch((error: unknown) => {
  log.fatal({ err: error }, 'proxy failed to start');
  process.exit(1);
});

let stopping = false;
function stop(reason: string): void {
  if (stopping) {
    log.warn({ reason }, 'second stop request; exiting without waiting for in-flight requests');
    process.exit(1);
  }
  stopping = true;
  log.info({ reason, gracePeriodMs: config.shutdownGracePeriodMs }, 'shutting down');
  proxy.shutdown().then(
    () => {
      log.info('shutdown complete');
      process.exit(0);
    },
    (error: unknown) => {
      log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    },
  );
}

process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
if (config.parentPid !== undefined) {
  const parentPid = config.parentPid;
  watchParent(parentPid, () => stop(`parent process ${parentPid} exited`));
}
