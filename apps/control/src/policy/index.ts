import type { Logger } from 'pino';
import type { PolicyConfig } from '../config.js';
import type { TrustStore } from '../identity/trust-store.js';
import type { ControlMetrics } from '../metrics.js';
import { PolicyCatalog } from './catalog.js';
import { type PolicyServer, startPolicyServer } from './server.js';
import { loadPolicies } from './source.js';
import { watchPolicySources } from './watch.js';

export interface PolicyService {
  readonly address: string;
  readonly catalog: PolicyCatalog;
  ready(): boolean;
  /** Loads now (tests; the watcher does it on change). */
  reload(): Promise<void>;
  close(): Promise<void>;
}

/** Settle time for a burst of file events (an editor's save). */
const SETTLE_MS = 50;

/**
 * The policy service: loads the workloads and policy resources, compiles every workload's policy, serves the
 * streams, and reloads on every change of the files — a change reaches the proxies' streams within a second.
 */
export async function startPolicyService(
  config: PolicyConfig,
  identity: { trustDomain: string; leafLifetimeMs: number; clockSkewMs: number },
  deps: { store: TrustStore; metrics: ControlMetrics; log: Logger },
): Promise<PolicyService> {
  const { log, metrics } = deps;
  const catalog = new PolicyCatalog(log);
  metrics.policyStreams(() => catalog.streams());
  const reload = async () => {
    const load = await loadPolicies({ dir: config.dir, workloadsFile: config.workloadsFile });
    catalog.apply(load);
    metrics.policyReloaded(load.ok ? 'ok' : 'refused', catalog.currentRevision());
  };
  await reload();
  const watcher = watchPolicySources(
    { dir: config.dir, files: [config.workloadsFile], pollIntervalMs: config.pollIntervalMs, settleMs: SETTLE_MS, log },
    reload,
  );
  let server: PolicyServer;
  try {
    const { trustDomain, leafLifetimeMs, clockSkewMs } = identity;
    server = await startPolicyServer({ listen: config.listen, trustDomain, leafLifetimeMs, clockSkewMs }, { store: deps.store, catalog, log });
  } catch (error) {
    watcher.close();
    throw error;
  }
  return {
    address: server.address,
    catalog,
    ready: () => server.ready() && catalog.ready(),
    reload,
    close: async () => {
      watcher.close();
      await server.close();
    },
  };
}
