import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { formatHostPort } from '@meshviz/runtime';
import type { Logger } from 'pino';
import type { IdentityConfig } from '../config.js';
import type { ControlMetrics } from '../metrics.js';
import { buildIdentityApp } from './app.js';
import { startServingCert } from './serving-cert.js';
import type { TrustStore } from './trust-store.js';
import type { TokenValidator } from './validators/index.js';

export interface IdentityServer {
  readonly address: string;
  /** True while listening with a serving certificate. */
  ready(): boolean;
  close(): Promise<void>;
}

export interface IdentityServerDeps {
  store: TrustStore;
  validator: TokenValidator;
  metrics: ControlMetrics;
  log: Logger;
}

/**
 * The identity service on HTTPS, TLS 1.3 only. It binds at once, so a taken port fails the start; until an issuer
 * has loaded it has no certificate and handshakes fail, which is all a proxy could be told anyway.
 */
export async function startIdentityServer(config: IdentityConfig, deps: IdentityServerDeps): Promise<IdentityServer> {
  let server: https.Server | undefined;
  const app = buildIdentityApp({
    log: deps.log,
    trustDomain: config.trustDomain,
    leafLifetimeMs: config.leafLifetimeMs,
    clockSkewMs: config.clockSkewMs,
    trust: () => deps.store.current(),
    validator: deps.validator,
    onResult: (result) => deps.metrics.certified(result),
    serverFactory: (handler) => {
      server = https.createServer({ minVersion: 'TLSv1.3' }, handler);
      return server;
    },
  });
  await app.listen({ host: config.listen.host, port: config.listen.port });
  const bound = app.server.address() as AddressInfo;

  const serving = startServingCert({
    store: deps.store,
    trustDomain: config.trustDomain,
    leafLifetimeMs: config.leafLifetimeMs,
    clockSkewMs: config.clockSkewMs,
    log: deps.log,
    apply: ({ key, cert }) => server!.setSecureContext({ key, cert, minVersion: 'TLSv1.3' }),
  });

  let closed = false;
  return {
    address: formatHostPort({ host: bound.address, port: bound.port }),
    ready: () => !closed && serving.ready(),
    close: async () => {
      closed = true;
      serving.stop();
      await app.close();
    },
  };
}
