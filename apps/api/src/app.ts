import Fastify, { type FastifyInstance } from 'fastify';
import type { ApiConfig } from './config.js';
import { registerErrorHandler } from './plugins/error-handler.js';
import { createPrometheusClient, type PrometheusClient } from './plugins/prometheus.js';
import { registerStatsRoutes } from './routes/stats/index.js';

export interface BuildOptions {
  config: Pick<ApiConfig, 'prometheusUrl' | 'prometheusTimeoutMs' | 'logLevel'>;
  /** Injected in tests; built from the config otherwise. */
  prometheus?: PrometheusClient;
}

export function buildApp(options: BuildOptions): FastifyInstance {
  const app = Fastify({
    logger: {
      level: options.config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["proxy-authorization"]'],
    },
    requestIdHeader: false,
    genReqId: () => crypto.randomUUID(),
  });
  const prom =
    options.prometheus ?? createPrometheusClient(options.config.prometheusUrl, options.config.prometheusTimeoutMs);
  registerErrorHandler(app);
  app.get('/api/v1/healthz', async () => ({ ok: true }));
  registerStatsRoutes(app, prom);
  return app;
}
