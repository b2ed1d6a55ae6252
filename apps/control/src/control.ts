import { kubeConfigFor } from '@meshviz/kube';
import { type AdminServer, startAdmin } from '@meshviz/runtime';
import type { Logger } from 'pino';
import type { ControlConfig } from './config.js';
import { type DestinationService, startDestinationService } from './destination/index.js';
import { type Injector, startInjector } from './injector/index.js';
import { type KubernetesServices, startKubernetesServices } from './kubernetes/index.js';
import { type ControlMetrics, createControlMetrics } from './metrics.js';
import { type PolicyService, startPolicyService } from './policy/index.js';
import { startTrust } from './trust.js';

export interface Control {
  readonly addresses: { identity?: string; admin: string; policy?: string; destination?: string; injector?: string };
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
 * Starts the control plane services the configuration names (CONTROL_SERVICES): the identity service and its
 * issuer, or else the trust anchors and a certificate from the identity service; then policy, destination and the
 * injector; the admin server last, so /ready is never asked about a service that is not there yet.
 */
export async function startControl(config: ControlConfig, deps: { log: Logger }): Promise<Control> {
  const { log } = deps;
  const metrics = createControlMetrics();
  const trust = await startTrust(config, { metrics, log });
  let admin: AdminServer | undefined;
  let policy: PolicyService | undefined;
  let destination: DestinationService | undefined;
  let cluster: KubernetesServices | undefined;
  let injector: Injector | undefined;
  try {
    const trustDomain = config.identity?.trustDomain ?? config.anchors?.trustDomain ?? '';
    const serving = () => {
      if (!trust.serving) throw new Error('policy and destination need a serving certificate: the identity service, or CONTROL_IDENTITY_SVC_ADDR');
      return trust.serving;
    };
    if (config.policy) {
      policy = await startPolicyService(config.policy, { trustDomain }, { serving: serving(), metrics, log: log.child({ component: 'policy' }) });
    }
    if (config.destination) {
      const destinationLog = log.child({ component: 'destination' });
      destination = await startDestinationService(config.destination, { trustDomain }, { serving: serving(), metrics, log: destinationLog });
    }
    if (config.kubernetes) {
      cluster = await startKubernetesServices(config.kubernetes, { trustDomain }, { serving: serving(), metrics, log });
      policy = cluster.policy;
      destination = cluster.destination;
    }
    if (config.injector) {
      const injectorLog = log.child({ component: 'injector' });
      injector = await startInjector(config.injector, { kc: kubeConfigFor(config.injector.api), trustAnchors: trust.anchorsPem, log: injectorLog });
    }
    const ready = () => trust.ready() && (policy?.ready() ?? true) && (destination?.ready() ?? true) && (injector?.ready() ?? true);
    admin = await startAdmin(config.admin.listen, { registry: metrics.registry, isReady: ready, log: log.child({ component: 'admin' }) });
    const addresses = {
      ...(trust.identity ? { identity: trust.identity.address } : {}),
      admin: admin.address,
      ...(policy ? { policy: policy.address } : {}),
      ...(destination ? { destination: destination.address } : {}),
      ...(injector ? { injector: injector.address } : {}),
    };
    const source = config.kubernetes ? 'kubernetes' : 'local';
    log.info({ addresses, ...trust.summary, source }, 'control plane started');
    const adminServer = admin;
    return {
      addresses,
      metrics,
      policy,
      destination,
      injector,
      ready,
      shutdown: async () => {
        await Promise.all([...closeServices(policy, destination, cluster, injector), adminServer.close()]);
        await trust.close();
      },
    };
  } catch (error) {
    await Promise.all(closeServices(policy, destination, cluster, injector));
    await trust.close();
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
