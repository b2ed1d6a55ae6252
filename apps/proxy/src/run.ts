/** The proxy's program: configuration, logger, start, signals. main.ts loads it once the heap is sized. */
import { STOP_DEADLINE_MS, stopOnSignals } from '@meshviz/runtime';
import { ConfigError, loadConfig, type ProxyConfig } from './config.js';
import { createLogger } from './log.js';
import { startProxy } from './proxy.js';

/** Exit code for bad configuration, distinct from a runtime failure (1). */
const EXIT_CONFIG = 2;

let config: ProxyConfig;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`meshviz-proxy: invalid configuration: ${error.message}\n`);
  process.exit(EXIT_CONFIG);
}

const log = createLogger(config.logLevel);
const starting = startProxy(config, { log }).catch((error: unknown) => {
  log.fatal({ err: error }, 'proxy failed to start');
  process.exit(1);
});

// Before the start completes: a SIGTERM right after "proxy ready" is a graceful stop, not Node's default death.
stopOnSignals(starting, {
  log,
  parentPid: config.parentPid,
  fields: { gracePeriodMs: config.shutdownGracePeriodMs },
  // Draining may take the whole grace period; the deadline only catches a shutdown that never ends.
  deadlineMs: config.shutdownGracePeriodMs + STOP_DEADLINE_MS,
});
