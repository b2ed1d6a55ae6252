import { type ApiServerOptions, kubeConfigFor } from '@meshviz/kube';
import type { HostPort } from '@meshviz/runtime';
import type { DestinationService } from '../destination/index.js';
import { serveDestinations } from '../destination/index.js';
import { type PolicyService, servePolicies } from '../policy/index.js';
import type { ServiceDeps, ServiceIdentity } from '../streaming/service.js';
import { ClusterState } from './cluster.js';
import { clusterFeeds } from './feeds.js';

export interface KubernetesSourceConfig {
  api: ApiServerOptions;
  clusterNetworks: string[];
  /** Absent when CONTROL_SERVICES does not list destination. */
  destination: { listen: HostPort; publishFile: string | undefined } | undefined;
  /** Absent when CONTROL_SERVICES does not list policy. */
  policy: { listen: HostPort } | undefined;
}

export interface KubernetesServices {
  readonly cluster: ClusterState;
  readonly destination: DestinationService | undefined;
  readonly policy: PolicyService | undefined;
  close(): Promise<void>;
}

/** How long the start waits for every first list; the services start anyway and load as soon as they arrive. */
const FIRST_LIST_MS = 10_000;

/**
 * The destination and policy services fed by the cluster (CONTROL_SOURCE=kubernetes): one set of list/watch
 * caches, both services (or the one configured) reloading on every settled change.
 */
export async function startKubernetesServices(
  config: KubernetesSourceConfig,
  identity: ServiceIdentity,
  deps: ServiceDeps,
): Promise<KubernetesServices> {
  const { log } = deps;
  const cluster = new ClusterState(kubeConfigFor(config.api), log.child({ component: 'kubernetes' }));
  await cluster.start();
  if (!(await cluster.whenSynced(FIRST_LIST_MS))) log.warn({ unsynced: cluster.unsynced() }, 'not every kind has listed yet; serving once they have');
  const feeds = clusterFeeds(cluster, { trustDomain: identity.trustDomain, clusterNetworks: config.clusterNetworks });
  let destination: DestinationService | undefined;
  try {
    if (config.destination) {
      destination = await serveDestinations(config.destination, identity, { ...deps, log: log.child({ component: 'destination' }) }, feeds.destinations);
    }
    const policy = config.policy ? await servePolicies(config.policy, identity, { ...deps, log: log.child({ component: 'policy' }) }, feeds.policy) : undefined;
    const started = destination;
    return {
      cluster,
      destination: started,
      policy,
      close: async () => {
        await cluster.stop();
        await Promise.all([started?.close(), policy?.close()]);
      },
    };
  } catch (error) {
    await Promise.all([cluster.stop(), destination?.close()]);
    throw error;
  }
}
