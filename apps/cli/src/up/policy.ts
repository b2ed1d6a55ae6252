import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  DEFAULT_CLUSTER_NETWORKS,
  type DestinationsFile,
  destinationServiceName,
  type MeshFile,
  type PolicyWorkload,
  type PolicyWorkloads,
  policyServiceName,
} from '@meshviz/mesh-types';
import { formatPolicyIssue, loadPolicyDir } from '@meshviz/policy';
import { PROXY_ENV, type ProxyEnv } from '@meshviz/proxy/env';
import type { MeshPlan, ReplicaPlan } from './plan.js';

/**
 * The port every local workload's app is known by to policy, as a container port would be on Kubernetes (named
 * `http`). Each replica really listens on its own free loopback port; its proxy maps that to this one.
 */
export const APP_POLICY_PORT = { port: 8080, name: 'http' } as const;

export class PolicyFilesError extends Error {}

/** The mesh file's policy directory, relative to the mesh file. */
export function policyDirOf(meshFile: string, mesh: MeshFile): string {
  return path.resolve(path.dirname(meshFile), mesh.policy.dir);
}

export function clusterNetworksOf(mesh: MeshFile): string[] {
  return mesh.policy.clusterNetworks ?? [...DEFAULT_CLUSTER_NETWORKS];
}

/**
 * What the control plane compiles policies for: every workload of the mesh file, the load generator and the other
 * clients too, as Kubernetes would list pods (labels, service account, the app's named port, probe paths).
 */
export function policyWorkloads(mesh: MeshFile, trustDomain: string): PolicyWorkloads {
  const meshDefault = mesh.policy.defaultInboundPolicy;
  const port = [{ ...APP_POLICY_PORT }];
  const workloads: PolicyWorkload[] = mesh.namespaces.flatMap((ns) =>
    ns.workloads.map((w) => ({
      namespace: ns.name,
      name: w.name,
      serviceAccount: w.serviceAccount ?? w.name,
      labels: { ...w.labels, app: w.name },
      // The port the workload serves (its `port`), named as the demo's is.
      ports: [{ ...APP_POLICY_PORT, port: w.port ?? APP_POLICY_PORT.port }],
      probePaths: w.probePaths,
      defaultPolicy: w.defaultInboundPolicy ?? ns.defaultInboundPolicy ?? meshDefault,
    })),
  );
  const client = (namespace: string, name: string, serviceAccount: string): PolicyWorkload => ({
    namespace,
    name,
    serviceAccount,
    labels: { app: name },
    ports: port,
    probePaths: ['/healthz'],
    defaultPolicy: meshDefault,
  });
  if (mesh.load) workloads.push(client(mesh.load.namespace, mesh.load.name, mesh.load.name));
  for (const c of mesh.clients) workloads.push(client(c.namespace, c.name, c.serviceAccount ?? c.name));
  return { trustDomain, clusterNetworks: clusterNetworksOf(mesh), workloads };
}

export function allReplicas(plan: MeshPlan): ReplicaPlan[] {
  return [...plan.replicas, ...(plan.loadgen ? [plan.loadgen] : []), ...plan.clients];
}

/**
 * Validates the policy directory against the plan's workloads before anything starts, so a mistake is reported
 * at once, naming the file, the resource and the field; returns the warnings (what matches nothing).
 */
export async function checkPolicyFiles(
  dir: string,
  workloads: PolicyWorkloads,
  destinations: DestinationsFile,
): Promise<{ resources: number; warnings: string[] }> {
  if (!existsSync(dir)) return { resources: 0, warnings: [] };
  const loaded = await loadPolicyDir(dir, workloads, { destinations });
  if (!loaded.ok) throw new PolicyFilesError(`policy in ${dir} is invalid:\n  ${loaded.errors.map(formatPolicyIssue).join('\n  ')}`);
  return { resources: loaded.resources.length, warnings: loaded.warnings.map(formatPolicyIssue) };
}

/**
 * The control-plane variables of one replica's proxy: its inbound policy stream and default policy, and the
 * destination stream its outbound side routes by (discovery with the compiled outbound routes).
 */
export function proxyPolicyEnv(
  r: ReplicaPlan,
  addrs: { policy: string; destination: string },
  trustDomain: string,
  clusterNetworks: readonly string[],
): ProxyEnv {
  return {
    [PROXY_ENV.destinationSvcAddr]: addrs.destination,
    [PROXY_ENV.destinationSvcName]: destinationServiceName(trustDomain),
    [PROXY_ENV.policySvcAddr]: addrs.policy,
    [PROXY_ENV.policySvcName]: policyServiceName(trustDomain),
    [PROXY_ENV.policyWorkload]: `${r.namespace}/${r.workload}`,
    [PROXY_ENV.inboundPolicyPort]: String(r.policy.ports[0]?.port ?? APP_POLICY_PORT.port),
    [PROXY_ENV.inboundDefaultPolicy]: r.policy.defaultPolicy,
    [PROXY_ENV.inboundProbePaths]: r.policy.probePaths.join(','),
    [PROXY_ENV.clusterNetworks]: clusterNetworks.join(','),
  };
}
