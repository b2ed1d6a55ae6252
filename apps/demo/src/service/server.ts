import { createServer, type Server } from 'node:http';
import { listen } from '../runtime/lifecycle.js';
import type { Logger } from '../runtime/logger.js';
import { OutboundClient } from '../runtime/outbound-client.js';
import type { ServiceConfig } from './config.js';
import { createHandler } from './handler.js';
import { RouteTable } from './route-table.js';

export interface RunningService {
  server: Server;
  port: number;
  outbound: OutboundClient;
}

/** Builds and starts one replica; `main.ts` only adds process concerns (signals, parent watch). */
export async function startService(config: ServiceConfig, logger: Logger): Promise<RunningService> {
  const outbound = new OutboundClient(config.outbound);
  const handler = createHandler({
    identity: { namespace: config.namespace, name: config.name, pod: config.pod },
    routes: new RouteTable(config.routes),
    outbound,
    logger,
  });
  const server = createServer((req, res) => {
    handler(req, res).catch((error: unknown) => {
      logger.error({ err: error }, 'request failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  const port = await listen(server, config.listen.host, config.listen.port);
  return { server, port, outbound };
}
