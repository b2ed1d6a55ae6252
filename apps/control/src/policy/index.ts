import type { HostPort } from '@meshviz/runtime';
import type { PolicyConfig } from '../config.js';
import { type ServiceDeps, type ServiceFeed, type ServiceIdentity, type StreamingService, startStreamingService, watchFiles } from '../streaming/service.js';
import { type CompiledPolicy, createPolicyCatalog } from './catalog.js';
import { startPolicyServer } from './server.js';
import { loadPolicies } from './source.js';

export type PolicyService = StreamingService<CompiledPolicy>;

/**
 * The policy service: loads the workloads and policy resources, compiles every workload's policy, serves the
 * streams, and reloads on every change of the files — a change reaches the proxies' streams within a second.
 */
export function startPolicyService(config: PolicyConfig, identity: ServiceIdentity, deps: ServiceDeps): Promise<PolicyService> {
  return servePolicies(config, identity, deps, {
    load: () => loadPolicies({ dir: config.dir, workloadsFile: config.workloadsFile }),
    watch: watchFiles('policy', { dir: config.dir, files: [config.workloadsFile], pollIntervalMs: config.pollIntervalMs }, deps.log),
  });
}

/** The policy service over any feed (the local runtime's files, or the cluster). */
export function servePolicies(
  config: { listen: HostPort },
  identity: ServiceIdentity,
  deps: ServiceDeps,
  feed: ServiceFeed<CompiledPolicy>,
): Promise<PolicyService> {
  const { log, metrics } = deps;
  const catalog = createPolicyCatalog(log);
  metrics.policyStreams(() => catalog.streams());
  return startStreamingService({
    name: 'policy',
    catalog,
    load: feed.load,
    watch: feed.watch,
    reloaded: (result, revision) => metrics.policyReloaded(result, revision),
    startServer: () => startPolicyServer({ listen: config.listen, trustDomain: identity.trustDomain }, { serving: deps.serving, catalog, log }),
    log,
  });
}
