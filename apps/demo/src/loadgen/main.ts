#!/usr/bin/env node
import { ConfigError, formatHostPort, watchParent } from '@meshviz/runtime';
import { closeServer, listen, onShutdownSignal } from '../runtime/lifecycle.js';
import { createLogger } from '../runtime/logger.js';
import { OutboundClient } from '../runtime/outbound-client.js';
import { createAdminServer } from './admin-server.js';
import { type LoadgenConfig, loadLoadgenConfig } from './config.js';
import { CountStore } from './count-store.js';
import { startGenerator } from './generator.js';

async function main(): Promise<void> {
  let config: LoadgenConfig;
  try {
    config = loadLoadgenConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    createLogger('meshviz-loadgen').fatal({ variable: error.variable }, `invalid configuration: ${error.message}`);
    process.exit(1);
  }

  const { load } = config;
  const logger = createLogger('meshviz-loadgen', { namespace: load.namespace, deployment: load.name });
  const store = new CountStore(load.targets);
  const admin = createAdminServer(store);
  // The admin server comes up first so nothing is sent before the truth can be read.
  const adminPort = await listen(admin, config.admin.host, config.admin.port);
  logger.info({ addr: formatHostPort({ host: config.admin.host, port: adminPort }), port: adminPort }, 'admin listening');

  const outbound = new OutboundClient(config.outbound);
  const generator = startGenerator(load, outbound, store, logger);
  logger.info(
    { rate: load.rate, outbound: formatHostPort(config.outbound), targets: load.targets },
    'sending load',
  );

  const stop = async (reason: string) => {
    logger.info({ reason }, 'shutting down');
    await generator.stop();
    outbound.close();
    await closeServer(admin);
    process.exit(0);
  };
  onShutdownSignal((signal) => void stop(signal));
  if (config.parentPid !== undefined) watchParent(config.parentPid, () => void stop('parent process gone'));
}

main().catch((error: unknown) => {
  createLogger('meshviz-loadgen').fatal({ err: error }, 'failed to start');
  process.exit(1);
});
