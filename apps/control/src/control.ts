import { type AdminServer, startAdmin } from '@meshviz/runtime';
import type { Logger } from 'pino';
import type { ControlConfig } from './config.js';
import { type DestinationService, startDestinationService } from './destination/index.js';
import { startIdentityServer } from './identity/server.js';
import { openTrustStore } from './identity/trust-store.js';
import { createTokenValidator } from './identity/validators/index.js';
import { type ControlMetrics, createControlMetrics } from './metrics.js';
import { type PolicyService, startPolicyService } from './policy/index.js';

export interface Control {
  readonly addresses: { identity: string; admin: string; policy?: string; destination?: string };
  readonly metrics: ControlMetrics;
  /** The policy service, when a workloads file was given. */
  readonly policy: PolicyService | undefined;
  /** The destination service, when a discovery table was given. */
  readonly destination: DestinationService | undefined;
  ready(): boolean;
  shutdown(): Promise<void>;
}

/**
 * Starts the control plane: the identity service, the policy and destination services (when configured) and the
 * admin server. The token validator comes first so a bad key file stops the start before anything binds; the admin
 * server last, so /ready is never asked about a service that is not there yet.
 */
export async function startControl(config: ControlConfig, deps: { log: Logger }): Promise<Control> {
  const { log } = deps;
  const validator = await createTokenValidator(config.identity.tokenValidator);
  const metrics = createControlMetrics();
  const identityLog = log.child({ component: 'identity' });
  const store = await openTrustStore({ dir: config.identity.dir, pollIntervalMs: config.identity.pollIntervalMs, log: identityLog, metrics });
  let admin: AdminServer | undefined;
  try {
    const identity = await startIdentityServer(config.identity, { store, validator, metrics, log: identityLog });
    let policy: PolicyService | undefined;
    let destination: DestinationService | undefined;
    try {
      if (config.policy) {
        policy = await startPolicyService(config.policy, config.identity, { store, metrics, log: log.child({ component: 'policy' }) });
      }
      if (config.destination) {
        const destinationLog = log.child({ component: 'destination' });
        destination = await startDestinationService(config.destination, config.identity, { store, metrics, log: destinationLog });
      }
      const ready = () =>
        store.current() !== undefined && identity.ready() && (policy?.ready() ?? true) && (destination?.ready() ?? true);
      admin = await startAdmin(config.admin.listen, { registry: metrics.registry, isReady: ready, log: log.child({ component: 'admin' }) });
      const addresses = {
        identity: identity.address,
        admin: admin.address,
        ...(policy ? { policy: policy.address } : {}),
        ...(destination ? { destination: destination.address } : {}),
      };
      log.info({ addresses, trustDomain: config.identity.trustDomain, tokenValidator: validator.kind }, 'control plane started');
      const adminServer = admin;
      return {
        addresses,
        metrics,
        policy,
        destination,
        ready,
        shutdown: async () => {
          store.close();
          await Promise.all([identity.close(), policy?.close(), destination?.close(), adminServer.close()]);
        },
      };
    } catch (error) {
      await Promise.all([identity.close(), policy?.close(), destination?.close()]);
      throw error;
    }
  } catch (error) {
    store.close();
    throw error;
  }
}
