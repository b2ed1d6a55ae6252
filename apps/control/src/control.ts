import { kubeConfigFor } from '@meshviz/kube';
import { type AdminServer, startAdmin } from '@meshviz/runtime';
import type { Logger } from 'pino';
import type { ControlConfig } from './config.js';
import { type DestinationService, startDestinationService } from './destination/index.js';
import { startIdentityServer } from './identity/server.js';
import { openTrustStore } from './identity/trust-store.js';
import { createTokenValidator } from './identity/validators/index.js';
import { type Injector, startInjector } from './injector/index.js';
import { type KubernetesServices, startKubernetesServices } from './kubernetes/index.js';
import { type ControlMetrics, createControlMetrics } from './metrics.js';
import { type PolicyService, startPolicyService } from './policy/index.js';

export interface Control {
  readonly addresses: { identity: string; admin: string; policy?: string; destination?: string; injector?: string };
  readonly metrics: ControlMetrics;
  /** The policy service, when a workloads file was given. */
  readonly policy: PolicyService | undefined;
  /** The destination service, when a discovery table was given or the source is Kubernetes. */
  readonly destination: DestinationService | undefined;
  /** The proxy injector webhook, when configured. */
  readonly injector: Injector | undefined;
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
    let cluster: KubernetesServices | undefined;
    let injector: Injector | undefined;
    try {
      if (config.policy) {
        policy = await startPolicyService(config.policy, config.identity, { store, metrics, log: log.child({ component: 'policy' }) });
      }
      if (config.destination) {
        const destinationLog = log.child({ component: 'destination' });
        destination = await startDestinationService(config.destination, config.identity, { store, metrics, log: destinationLog });
      }
      if (config.kubernetes) {
        cluster = await startKubernetesServices(config.kubernetes, config.identity, { store, metrics, log });
        policy = cluster.policy;
        destination = cluster.destination;
      }
      if (config.injector) {
        const injectorLog = log.child({ component: 'injector' });
        const trustAnchors = () => store.current()?.anchorsPem.join('');
        injector = await startInjector(config.injector, { kc: kubeConfigFor(config.injector.api), trustAnchors, log: injectorLog });
      }
      const ready = () =>
        store.current() !== undefined &&
        identity.ready() &&
        (policy?.ready() ?? true) &&
        (destination?.ready() ?? true) &&
        (injector?.ready() ?? true);
      admin = await startAdmin(config.admin.listen, { registry: metrics.registry, isReady: ready, log: log.child({ component: 'admin' }) });
      const addresses = {
        identity: identity.address,
        admin: admin.address,
        ...(policy ? { policy: policy.address } : {}),
        ...(destination ? { destination: destination.address } : {}),
        ...(injector ? { injector: injector.address } : {}),
      };
      const source = config.kubernetes ? 'kubernetes' : 'local';
      log.info({ addresses, trustDomain: config.identity.trustDomain, tokenValidator: validator.kind, source }, 'control plane started');
      const adminServer = admin;
      return {
        addresses,
        metrics,
        policy,
        destination,
        injector,
        ready,
        shutdown: async () => {
          store.close();
          await Promise.all([identity.close(), ...closeServices(policy, destination, cluster, injector), adminServer.close()]);
        },
      };
    } catch (error) {
      await Promise.all([identity.close(), ...closeServices(policy, destination, cluster, injector)]);
      throw error;
    }
  } catch (error) {
    store.close();
    throw error;
  }
}

/** The services to close: the cluster's own (which stop its caches too), or the local ones. */
function closeServices(
  policy: PolicyService | undefined,
  destination: DestinationService | undefined,
  cluster: KubernetesServices | undefined,
  injector: Injector | undefined,
): Promise<void>[] {
  const services = cluster ? [cluster.close()] : [policy?.close(), destination?.close()].filter((p) => p !== undefined);
  return [...services, ...(injector ? [injector.close()] : [])];
}
