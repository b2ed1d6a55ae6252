import type { InboundPolicy, PolicyWorkloads } from '@meshviz/mesh-types';
import type { Logger } from 'pino';

/** What one load of the policy resources gave: every workload's policy (revision not set yet), or why not. */
export type PolicyLoad =
  | { ok: true; workloads: PolicyWorkloads; policies: Map<string, Omit<InboundPolicy, 'revision'>>; warnings: string[] }
  | { ok: false; errors: string[] };

export type PolicyListener = (policy: InboundPolicy) => void;

export const workloadKey = (namespace: string, name: string): string => `${namespace}/${name}`;

/**
 * The policies in force, one per workload, and who streams each. A load replaces them all at once or not at all:
 * a refused load (any error in any file) leaves the last good policies in force, so nothing is half-applied.
 * The revision grows with every load that changed something; only workloads whose policy changed are told.
 */
export class PolicyCatalog {
  private revision = 0;
  private readonly policies = new Map<string, { policy: InboundPolicy; text: string }>();
  private readonly listeners = new Map<string, Set<PolicyListener>>();
  private lastErrors: string[] = [];
  private loaded = false;

  constructor(private readonly log: Logger) {}

  /** True once a load has succeeded. */
  ready(): boolean {
    return this.loaded;
  }

  currentRevision(): number {
    return this.revision;
  }

  /** The errors of the last refused load, until a later load succeeds. */
  errors(): readonly string[] {
    return this.lastErrors;
  }

  get(namespace: string, name: string): InboundPolicy | undefined {
    return this.policies.get(workloadKey(namespace, name))?.policy;
  }

  /** Applies a load; returns the keys of the workloads whose policy changed (empty when refused). */
  apply(load: PolicyLoad): string[] {
    if (!load.ok) {
      this.lastErrors = load.errors;
      for (const error of load.errors) this.log.error({ error }, 'policy refused; the last good policy stays in force');
      return [];
    }
    this.lastErrors = [];
    for (const warning of load.warnings) this.log.warn({ warning }, 'policy warning');
    const changed: string[] = [];
    const texts = new Map<string, string>();
    for (const [key, policy] of load.policies) {
      const text = JSON.stringify(policy);
      texts.set(key, text);
      if (this.policies.get(key)?.text !== text) changed.push(key);
    }
    const removed = [...this.policies.keys()].filter((key) => !load.policies.has(key));
    const first = !this.loaded;
    this.loaded = true;
    if (changed.length === 0 && removed.length === 0 && !first) return [];
    this.revision += 1;
    for (const key of removed) this.policies.delete(key);
    for (const key of changed) {
      const policy = { ...load.policies.get(key)!, revision: this.revision } as InboundPolicy;
      this.policies.set(key, { policy, text: texts.get(key)! });
    }
    this.log.info({ revision: this.revision, changed: changed.length, removed: removed.length }, 'policy loaded');
    for (const key of changed) {
      const policy = this.policies.get(key)!.policy;
      for (const listener of this.listeners.get(key) ?? []) listener(policy);
    }
    return changed;
  }

  /** Calls `listener` with every later change of the workload's policy; returns the unsubscribe function. */
  subscribe(namespace: string, name: string, listener: PolicyListener): () => void {
    const key = workloadKey(namespace, name);
    let set = this.listeners.get(key);
    if (!set) {
      set = new Set();
      this.listeners.set(key, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(key);
    };
  }

  /** Open streams, for the metrics. */
  streams(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }
}
