#!/usr/bin/env node
import { ConfigError, formatHostPort, watchParent } from '@meshviz/runtime';
import { closeServer, onShutdownSignal } from '../runtime/lifecycle.js';
import { createLogger } from '../runtime/logger.js';
import { loadServiceConfig, type ServiceConfig } from './config.js';
import { startService } from './server.js';

async function main(): Promise<void> {
  let config: ServiceConfig;
  try {
    config = loadServiceConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    createLogger('meshviz-demo-service').fatal({ variable: error.variable }, `invalid configuration: ${error.message}`);
    process.exit(1);
  }

  const logger = createLogger('meshviz-demo-service', {
    namespace: config.namespace,
    deployment: config.name,
    pod: config.pod,
  });
  const service = await startService(config, logger);
  logger.info(
    {
      addr: formatHostPort({ host: config.listen.host, port: service.port }),
      port: service.port,
      outbound: formatHostPort(config.outbound),
      routes: config.routes.map((route) => `${route.method} ${route.path}`),
    },
    'listening',
  );

  const stop = async (reason: string) => {
    logger.info({ reason }, 'shutting down');
    await closeServer(service.server);
    service.outbound.close();
    process.exit(0);
  };
  onShutdownSignal((signal) => void stop(signal));
  if (config.parentPid !== undefined) watchParent(config.parentPid, () => void stop('parent process gone'));
}

main().catch((error: unknown) => {
  createLogger('meshviz-demo-service').fatal({ err: error }, 'failed to start');
  process.exit(1);
});
