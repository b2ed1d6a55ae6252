import type { RequestListener } from 'node:http';
import type { Server } from 'node:https';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerFactory, LogController } from 'fastify';
import type { Logger } from 'pino';
import { type CertifyDeps, registerCertifyRoute } from './certify.js';
import { registerErrorHandler } from './errors.js';
import { BODY_LIMIT_BYTES } from './limits.js';


export interface IdentityAppOptions extends CertifyDeps {
  log: Logger;
  /** Makes the HTTPS server; absent in `inject()` tests, which need no socket. */
  serverFactory?: (handler: RequestListener) => Server;
}

/**
 * The identity service as a fastify app: one route, one error handler. Fastify rather than bare node:https for
 * what it already does well (JSON parsing with a body limit, one error handler, `inject()` tests), and because
 * the public API is fastify too, so both read alike. Request logging is ours (one line per certify, never the
 * body) rather than fastify's default pair of lines.
 */
export function buildIdentityApp(options: IdentityAppOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: options.log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT_BYTES,
    requestIdHeader: false,
    ...(options.serverFactory ? { serverFactory: options.serverFactory as unknown as FastifyServerFactory } : {}),
  }) as unknown as FastifyInstance;
  registerErrorHandler(app, options.onResult);
  registerCertifyRoute(app, options);
  return app;
}
