import { readFile } from 'node:fs/promises';
import { type InboundPolicy, PolicyWorkloads } from '@meshviz/mesh-types';
import { compileInboundPolicy, formatPolicyIssue, loadPolicyDir } from '@meshviz/policy';
import { type PolicyLoad, workloadKey } from './catalog.js';

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
  let workloads: PolicyWorkloads;
  try {
    const raw: unknown = JSON.parse(await readFile(options.workloadsFile, 'utf8'));
    const parsed = PolicyWorkloads.safeParse(raw);
    if (!parsed.success) {
      return {
        ok: false,
        errors: parsed.error.issues.map((i) => `${options.workloadsFile}: ${i.path.join('.') || '(root)'}: ${i.message}`),
      };
    }
    workloads = parsed.data;
  } catch (error) {
    return { ok: false, errors: [`${options.workloadsFile}: cannot read the workloads file: ${(error as Error).message}`] };
  }

  const loaded = options.dir ? await loadPolicyDir(options.dir, workloads) : { ok: true as const, resources: [], warnings: [] };
  if (!loaded.ok) return { ok: false, errors: loaded.errors.map(formatPolicyIssue) };
  const policies = new Map<string, Omit<InboundPolicy, 'revision'>>();
  const ctx = { trustDomain: workloads.trustDomain, clusterNetworks: workloads.clusterNetworks, revision: 0 };
  for (const workload of workloads.workloads) {
    const { revision: _, ...policy } = compileInboundPolicy(loaded.resources, workload, ctx);
    policies.set(workloadKey(workload.namespace, workload.name), policy);
  }
  return { ok: true, workloads, policies, warnings: loaded.warnings.map(formatPolicyIssue) };
}
