import type { Logger } from 'pino';
import type { AnchorsConfig, IdentityConfig } from './config.js';
import { type AnchorsFile, openAnchorsFile } from './identity/anchors-file.js';
import { type CertifiedServing, certifiedServing } from './identity/certified-serving.js';
import { type IdentityServer, startIdentityServer } from './identity/server.js';
import { issuerServing, type ServingSource } from './identity/serving-cert.js';
import { openTrustStore } from './identity/trust-store.js';
import { createTokenValidator } from './identity/validators/index.js';
import type { ControlMetrics } from './metrics.js';

/**
 * What a control plane process trusts and presents. With the identity service in the process: the trust files'
 * issuer, which signs the listeners' certificates too. Without it: the anchors file, and — for policy and
 * destination — one certificate certified by the identity service; the issuer is neither needed nor read.
 */
export interface ProcessTrust {
  /** Where listeners get their certificates; undefined for a process with no mutual-TLS listener (the injector alone). */
  readonly serving: ServingSource | undefined;
  /** The identity service, when this process runs it. */
  readonly identity: IdentityServer | undefined;
  /** The trust anchors in force (PEM), for the injector; undefined until loaded or when none are configured. */
  anchorsPem(): string | undefined;
  ready(): boolean;
  /** Fields for the start log. */
  readonly summary: Record<string, unknown>;
  close(): Promise<void>;
}

export async function startTrust(
  config: { identity: IdentityConfig | undefined; anchors?: AnchorsConfig | undefined },
  deps: { metrics: ControlMetrics; log: Logger },
): Promise<ProcessTrust> {
  const { metrics, log } = deps;
  if (config.identity) {
    const identityConfig = config.identity;
    // The token validator comes first, so a bad key file stops the start before anything binds.
    const validator = await createTokenValidator(identityConfig.tokenValidator);
    const identityLog = log.child({ component: 'identity' });
    const store = await openTrustStore({ dir: identityConfig.dir, pollIntervalMs: identityConfig.pollIntervalMs, log: identityLog, metrics });
    let identity: IdentityServer;
    try {
      identity = await startIdentityServer(identityConfig, { store, validator, metrics, log: identityLog });
    } catch (error) {
      store.close();
      throw error;
    }
    return {
      serving: issuerServing(store, identityConfig),
      identity,
      anchorsPem: () => store.current()?.anchorsPem.join(''),
      ready: () => store.current() !== undefined && identity.ready(),
      summary: { trustDomain: identityConfig.trustDomain, tokenValidator: validator.kind },
      close: async () => {
        store.close();
        await identity.close();
      },
    };
  }
  const settings = config.anchors;
  if (!settings) throw new Error('a control plane process without identity needs its anchors configuration');
  let anchors: AnchorsFile | undefined;
  if (settings.anchorsFile) anchors = await openAnchorsFile({ file: settings.anchorsFile, pollIntervalMs: settings.pollIntervalMs, log });
  let certified: CertifiedServing | undefined;
  if (settings.certify && anchors) {
    const { identityAddr, tokenFile, serviceAccount } = settings.certify;
    certified = certifiedServing(
      { identityAddr, tokenFile, serviceAccount, trustDomain: settings.trustDomain },
      { anchors, log: log.child({ component: 'certify' }) },
    );
  }
  return {
    serving: certified,
    identity: undefined,
    anchorsPem: () => anchors?.current()?.join(''),
    ready: () => (anchors ? anchors.current() !== undefined : true) && (certified?.ready() ?? true),
    summary: { trustDomain: settings.trustDomain, anchorsFile: settings.anchorsFile, ...(certified ? { certifiedAs: certified.identity } : {}) },
    close: async () => {
      certified?.stop();
      anchors?.close();
    },
  };
}
