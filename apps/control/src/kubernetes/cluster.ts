import {
  type CustomObject,
  customResource,
  ENDPOINT_SLICES,
  type KubeConfig,
  PODS,
  ResourceCache,
  SERVICES,
  type V1EndpointSlice,
  type V1Pod,
  type V1Service,
} from '@meshviz/kube';
import { GATEWAY_GROUP, POLICY_GROUP } from '@meshviz/mesh-types';
import { CRD_KINDS } from '@meshviz/policy';
import type { Logger } from 'pino';

/** The policy and route kinds read from the cluster: meshviz's CRDs and the Gateway API's routes. */
export const POLICY_RESOURCE_KINDS = [
  ...CRD_KINDS.map((k) => customResource(POLICY_GROUP, 'v1', k.plural)),
  customResource(GATEWAY_GROUP, 'v1', 'httproutes'),
  customResource(GATEWAY_GROUP, 'v1', 'grpcroutes'),
];

/** How long changes are gathered, from the first of a burst, before the services recompile (well within 1 s). */
const SETTLE_MS = 50;

/**
 * The cluster as the destination and policy services see it: list/watch caches of pods, Services,
 * EndpointSlices, meshviz's policy resources and Gateway API routes, shared by both services. `onChange` hears of
 * every change once a burst settles; `whenSynced` waits for every first list.
 */
export class ClusterState {
  readonly pods: ResourceCache<V1Pod>;
  readonly services: ResourceCache<V1Service>;
  readonly endpointSlices: ResourceCache<V1EndpointSlice>;
  readonly policyResources: ResourceCache<CustomObject>[];
  private readonly all: ResourceCache<never>[];
  private readonly listeners = new Set<() => void>();
  private settle: NodeJS.Timeout | undefined;

  constructor(kc: KubeConfig, log: Logger) {
    const options = { onError: (error: Error, kind: string) => log.warn({ err: { message: error.message }, kind }, 'cannot list or watch; retrying') };
    this.pods = new ResourceCache(kc, PODS, options);
    this.services = new ResourceCache(kc, SERVICES, options);
    this.endpointSlices = new ResourceCache(kc, ENDPOINT_SLICES, options);
    this.policyResources = POLICY_RESOURCE_KINDS.map((kind) => new ResourceCache(kc, kind, options));
    this.all = [this.pods, this.services, this.endpointSlices, ...this.policyResources] as unknown as ResourceCache<never>[];
    for (const cache of this.all) {
      cache.onChange(() => {
        // The first change of a burst starts the clock and later ones ride along: under constant churn the services
        // still recompile every SETTLE_MS instead of waiting for a quiet moment that may never come.
        if (this.settle) return;
        this.settle = setTimeout(() => {
          this.settle = undefined;
          for (const listener of this.listeners) listener();
        }, SETTLE_MS);
      });
    }
  }

  async start(): Promise<void> {
    await Promise.all(this.all.map((c) => c.start()));
  }

  /** True once every kind has listed once. */
  synced(): boolean {
    return this.all.every((c) => c.synced());
  }

  async whenSynced(timeoutMs: number): Promise<boolean> {
    const results = await Promise.all(this.all.map((c) => c.whenSynced(timeoutMs)));
    return results.every(Boolean);
  }

  /** Kinds that have not listed yet, for the log and errors. */
  unsynced(): string[] {
    return this.all.filter((c) => !c.synced()).map((c) => c.kind.name);
  }

  /** Calls `listener` after every settled burst of changes; returns the function that stops it. */
  onChange(listener: () => void): { close(): void } {
    this.listeners.add(listener);
    return { close: () => this.listeners.delete(listener) };
  }

  async stop(): Promise<void> {
    clearTimeout(this.settle);
    await Promise.all(this.all.map((c) => c.stop()));
  }
}
