import { PolicyWorkloads } from '@meshviz/mesh-types';
import { compileInboundPolicy, formatPolicyIssue, loadPolicyDir, type PolicyLoadResult } from '@meshviz/policy';
import { readJsonFile } from '../streaming/json-file.js';
import { type CompiledPolicy, type PolicyLoad, workloadKey } from './catalog.js';

export interface PolicySourceOptions {
  /** Directory of policy resources (YAML); a missing directory means no resources (defaults only). */
  dir: string | undefined;
  /** The workloads the local runtime runs (PolicyWorkloads JSON, written by `meshviz up`). */
  workloadsFile: string;
}

/**
 * Reads the workloads and the policy resources and compiles every workload's inbound policy. Any error — an
 * unreadable or invalid workloads file, any invalid resource — refuses the whole load, naming the file, the
 * resource and the field.
 */
export async function loadPolicies(options: PolicySourceOptions): Promise<PolicyLoad> {
  const read = await readJsonFile(options.workloadsFile, PolicyWorkloads, 'the workloads file');
  if (!read.ok) return read;
  const workloads = read.value;
  const loaded = options.dir ? await loadPolicyDir(options.dir, workloads) : { ok: true as const, resources: [], warnings: [] };
  return compilePolicies(loaded, workloads);
}

/** Compiles every workload's inbound policy from a validated load (a refused load refuses the whole). */
export function compilePolicies(loaded: PolicyLoadResult, workloads: PolicyWorkloads, extraWarnings: string[] = []): PolicyLoad {
  if (!loaded.ok) return { ok: false, errors: loaded.errors.map(formatPolicyIssue) };
  const entries = new Map<string, CompiledPolicy>();
  const ctx = { trustDomain: workloads.trustDomain, clusterNetworks: workloads.clusterNetworks, revision: 0 };
  for (const workload of workloads.workloads) {
    const { revision: _, ...policy } = compileInboundPolicy(loaded.resources, workload, ctx);
    entries.set(workloadKey(workload.namespace, workload.name), policy);
  }
  return { ok: true, entries, warnings: [...extraWarnings, ...loaded.warnings.map(formatPolicyIssue)] };
}
