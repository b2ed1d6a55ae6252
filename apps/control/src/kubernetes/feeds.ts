import type { DestinationsFile } from '@meshviz/mesh-types';
import { formatPolicyIssue, type PolicyIssue } from '@meshviz/policy';
import { compileDestinations } from '../destination/source.js';
import type { CompiledPolicy } from '../policy/catalog.js';
import { compilePolicies } from '../policy/source.js';
import type { CatalogLoad } from '../streaming/catalog.js';
import type { ServiceFeed } from '../streaming/service.js';
import type { ClusterState } from './cluster.js';
import { discoveryTable } from './discovery.js';
import { ClusterPolicyDocuments } from './policy-documents.js';
import { clusterWorkloads } from './workloads.js';

export interface ClusterFeedSettings {
  trustDomain: string;
  /** The CIDRs the `cluster-*` default policies call the cluster. */
  clusterNetworks: readonly string[];
}

/**
 * The destination and policy services' feeds on Kubernetes: each load reads the caches (no I/O), builds the
 * discovery table and the workloads, validates the policy resources as the local directory's are validated and
 * compiles them with the same compilers; each settled burst of cluster changes reloads both.
 */
export function clusterFeeds(
  cluster: ClusterState,
  settings: ClusterFeedSettings,
): { destinations: ServiceFeed<DestinationsFile>; policy: ServiceFeed<CompiledPolicy> } {
  const destinationDocs = new ClusterPolicyDocuments(cluster.policyResources, cluster.services);
  const policyDocs = new ClusterPolicyDocuments(cluster.policyResources, cluster.services);
  const base = () => discoveryTable(cluster.services.list(), cluster.endpointSlices.list(), (ns, name) => cluster.pods.get(name, ns), settings.trustDomain);
  const mesh = () => clusterWorkloads(cluster.pods.list(), settings.trustDomain, settings.clusterNetworks);
  const notListed = <V>(): CatalogLoad<V> | undefined =>
    cluster.synced() ? undefined : { ok: false, errors: [`the cluster's ${cluster.unsynced().join(', ')} have not been listed yet`] };
  const watch = (reload: () => Promise<void>) => cluster.onChange(() => void reload());
  return {
    destinations: {
      load: async () => {
        const pending = notListed<DestinationsFile>();
        if (pending) return pending;
        const table = base();
        const { result, refused } = destinationDocs.load(mesh(), table);
        return compileDestinations(result, table, refusals(refused));
      },
      watch,
    },
    policy: {
      load: async () => {
        const pending = notListed<CompiledPolicy>();
        if (pending) return pending;
        const workloads = mesh();
        const { result, refused } = policyDocs.load(workloads, base());
        return compilePolicies(result, workloads, refusals(refused));
      },
      watch,
    },
  };
}

function refusals(issues: readonly PolicyIssue[]): string[] {
  return issues.map((issue) => `refused, its last good version (if any) stays in force: ${formatPolicyIssue(issue)}`);
}
