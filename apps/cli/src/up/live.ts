import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CONTROL_NAMESPACE, Dns1123Label, MeshFile, type PolicyWorkloads, Readiness } from '@meshviz/mesh-types';
import type { ProxyEnv } from '@meshviz/proxy/env';
import { z } from 'zod';
import { programProcess, proxyProcess } from './components.js';
import { type Layout, type MeshPlan, planMesh, type ReplicaPlan } from './plan.js';
import type { PodStatusBook } from './pod-status.js';
import type { PodNetwork } from './pods/network.js';
import { hostsFile } from './pods/network.js';
import { applyInterception, type InitProgram } from './pods/setup.js';
import { allReplicas, policyWorkloads } from './policy.js';
import type { PortAllocator } from './ports.js';
import type { Supervised, Supervisor } from './processes.js';
import { fileSd, type ScrapeTarget, waitFor } from './prometheus.js';
import { appProbe } from './readiness.js';

/** What `meshviz run` asks of a running mesh: one workload, one replica, its program. */
export const RunRequest = z.object({
  namespace: Dns1123Label,
  name: Dns1123Label,
  command: z.array(z.string().min(1)).min(1),
  env: z.record(z.string(), z.string()).default({}),
  /** Absolute: the directory `meshviz run` was started in, unless it said otherwise. */
  cwd: z.string().startsWith('/'),
  port: z.number().int().min(1).max(65535).optional(),
  readiness: Readiness.optional(),
  serviceAccount: Dns1123Label.optional(),
});
export type RunRequest = z.infer<typeof RunRequest>;

/** Prometheus' targets: every proxy's admin port, labelled like a pod, and the control plane's. */
export function scrapeTargets(replicas: readonly ReplicaPlan[], control: { host: string; adminPort: number }): ScrapeTarget[] {
  const proxies = replicas.map((r) => ({
    addr: `${r.host}:${r.proxy.admin}`,
    labels: { namespace: r.namespace, deployment: r.workload, pod: r.pod },
  }));
  // The control plane is scraped too: its own metrics, and the check's "identity service is up".
  return [...proxies, { addr: `${control.host}:${control.adminPort}`, labels: { component: 'meshviz-control', namespace: CONTROL_NAMESPACE } }];
}

/** The API's tap targets: every proxy's tap address. */
export function tapTargets(replicas: readonly ReplicaPlan[]) {
  return { targets: replicas.map((r) => ({ namespace: r.namespace, deployment: r.workload, pod: r.pod, tapAddr: `${r.host}:${r.proxy.tap}` })) };
}

export interface LiveMeshParts {
  mesh: MeshFile;
  plan: MeshPlan;
  policy: PolicyWorkloads;
  ports: PortAllocator;
  network: PodNetwork | null;
  init: InitProgram;
  supervisor: Supervisor;
  podStatus: PodStatusBook;
  control: { host: string; adminPort: number };
  files: { destinations: string; workloads: string; scrapeTargets: string; tapTargets: string };
  proxyTapToken: string;
  /** The mesh variables of a replica's proxy (identity and streams); writes its service account's token for it. */
  meshEnv(r: ReplicaPlan): Promise<ProxyEnv>;
}

interface Added {
  replica: ReplicaPlan;
  processes: Supervised[];
}

/**
 * The running mesh, changed while it runs: `meshviz run` adds a workload and takes it out again. Every file the
 * control plane, Prometheus and the API watch is rewritten whole from the live lists.
 */
export class LiveMesh {
  private readonly added = new Map<string, Added>();
  private pods: number;
  private services: number;

  constructor(private readonly p: LiveMeshParts) {
    this.pods = allReplicas(p.plan).length;
    this.services = Object.keys(p.plan.destinations.services).length;
  }

  private get replicas(): ReplicaPlan[] {
    return [...allReplicas(this.p.plan), ...[...this.added.values()].map((a) => a.replica)];
  }

  /** Adds one workload with one replica, and resolves once it is ready; throws naming what is wrong. */
  async add(request: RunRequest): Promise<ReplicaPlan> {
    const { namespace, name } = request;
    const key = `${namespace}/${name}`;
    if (this.replicas.some((r) => `${r.namespace}/${r.workload}` === key)) throw new Error(`${key} is already a workload of this mesh`);
    const workload = { name, command: request.command, env: request.env, port: request.port, readiness: request.readiness, serviceAccount: request.serviceAccount };
    const mini = MeshFile.parse({ namespaces: [{ name: namespace, workloads: [workload] }], policy: this.p.mesh.policy });
    const { pods, services, network } = { pods: this.pods, services: this.services, network: this.p.network };
    const layout: Layout | undefined = network
      ? {
          kind: 'pods',
          pod: (n, ns, pod) => network.podAddress(pods + n, ns, pod),
          serviceIp: (n) => network.serviceIp(services + n),
          transparent: this.p.init !== null,
        }
      : undefined;
    const plan = await planMesh(mini, this.p.ports, { baseDir: request.cwd, trustDomain: this.p.policy.trustDomain, ...(layout ? { layout } : {}) });
    const r = plan.replicas[0]!;
    this.pods++;
    this.services += Object.keys(plan.destinations.services).length;
    Object.assign(this.p.plan.destinations.services, plan.destinations.services);
    this.p.plan.serviceIps.push(...plan.serviceIps);
    this.p.policy.workloads.push(...policyWorkloads(mini, this.p.policy.trustDomain).workloads);
    const entry: Added = { replica: r, processes: [] };
    this.added.set(key, entry);
    try {
      await this.writeFiles();
      if (network) {
        await network.addPod(pods, { netns: r.netns!, ip: r.host }, this.hostsOf(r));
        await this.rewriteHosts();
        if (this.p.init) await applyInterception(this.p.init, r);
      }
      const env = await this.p.meshEnv(r);
      entry.processes.push(this.p.supervisor.start(proxyProcess(r, this.p.files.destinations, this.p.proxyTapToken, env)));
      const app = this.p.supervisor.start(programProcess(r));
      entry.processes.push(app);
      this.p.podStatus.add({ namespace, deployment: name, pod: r.pod });
      await this.p.podStatus.write();
      await Promise.all([
        waitFor(`${key} proxy`, 60_000, async () => ((await fetch(`http://${r.host}:${r.proxy.admin}/ready`, { signal: AbortSignal.timeout(2000) })).ok ? true : null)),
        waitFor(`${key} app`, 60_000, appProbe(r, () => app.child.pid)),
      ]);
      return r;
    } catch (err) {
      await this.remove(namespace, name);
      throw err;
    }
  }

  /** Takes a workload `meshviz run` added out of the mesh: its processes, pod and every mention of it. */
  async remove(namespace: string, name: string): Promise<boolean> {
    const key = `${namespace}/${name}`;
    const entry = this.added.get(key);
    if (!entry) return false;
    this.added.delete(key);
    await this.p.supervisor.remove(entry.processes);
    const r = entry.replica;
    const services = this.p.plan.destinations.services;
    for (const [authority, s] of Object.entries(services)) if (s.namespace === namespace && s.service === name) delete services[authority];
    this.p.plan.serviceIps = this.p.plan.serviceIps.filter((s) => !(s.namespace === namespace && s.service === name));
    this.p.policy.workloads = this.p.policy.workloads.filter((w) => !(w.namespace === namespace && w.name === name));
    await this.p.podStatus.remove(namespace, r.pod);
    await this.writeFiles();
    if (this.p.network && r.netns) {
      await this.p.network.removePod(r.netns);
      await this.rewriteHosts();
    }
    return true;
  }

  async removeAll(): Promise<void> {
    for (const key of [...this.added.keys()]) {
      const [namespace, name] = key.split('/') as [string, string];
      await this.remove(namespace, name);
    }
  }

  private hostsOf(r: ReplicaPlan): string {
    return hostsFile({ name: r.pod, namespace: r.namespace, ip: r.host }, this.p.plan.serviceIps);
  }

  private async rewriteHosts(): Promise<void> {
    for (const r of this.replicas) if (r.netns) await this.p.network!.writeHosts(r.netns, this.hostsOf(r));
  }

  private async writeFiles(): Promise<void> {
    const { files } = this.p;
    await writeFile(files.workloads, JSON.stringify(this.p.policy, null, 2));
    await writeFile(files.destinations, JSON.stringify(this.p.plan.destinations, null, 2));
    await writeFile(files.scrapeTargets, fileSd(scrapeTargets(this.replicas, this.p.control)));
    await writeFile(files.tapTargets, JSON.stringify(tapTargets(this.replicas), null, 2));
  }
}

export const sdFileOf = (runDir: string) => path.join(runDir, 'targets.json');
