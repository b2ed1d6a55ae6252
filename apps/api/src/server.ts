#!/usr/bin/env node
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';

function configOrExit() {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`meshviz-api: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

const config = configOrExit();
const app = buildApp({ config });

async function stop(signal: string): Promise<void> {
  app.log.info({ signal }, 'shutting down');
  await app.close();
  process.exit(0);
}
process.once('SIGTERM', () => void stop('SIGTERM'));
process.once('SIGINT', () => void stop('SIGINT'));
if (config.parentPid !== undefined) {
  const parent = config.parentPid;
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      void stop('parent exited');
    }
  }, 1000).unref();
}

try {
  const address = await app.listen({ host: config.listen.host, port: config.listen.port });
  app.log.info({ address, prometheus: config.prometheusUrl }, 'meshviz-api listening');
} catch (err) {
  const code = (err as NodeJS.ErrnoException).code;
  const where = `${config.listen.host}:${config.listen.port}`;
  process.stderr.write(
    code === 'EADDRINUSE'
      ? `meshviz-api: ${where} is already in use; set API_LISTEN_ADDR to another address\n`
      : `meshviz-api: cannot listen on ${where}: ${(err as Error).message}\n`,
  );
  process.exit(1);
}
