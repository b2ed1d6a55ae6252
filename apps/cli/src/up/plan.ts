import path from 'node:path';
import {
  DEFAULT_TRUST_DOMAIN,
  type DestinationsFile,
  identityName,
  type MeshFile,
  type PolicyWorkload,
  PROXY_PORTS,
  type Readiness,
  type RouteBehaviour,
  type RouteTable,
  routeName,
  serviceAuthority,
} from '@meshviz/mesh-types';
import { policyWorkloads } from './policy.js';
import type { PortAllocator } from './ports.js';

/** One replica of a workload: the app process and the proxy beside it, each with its own ports. */
export interface ReplicaPlan {
  namespace: string;
  workload: string;
  pod: string;
  /** The mTLS identity its proxy holds (from the workload's service account). */
  identity: string;
  /** The workload's routes (the demo service's behaviour, or a program's route table), null for the clients. */
  routes: RouteBehaviour[] | null;
  /** The workload as policy sees it: labels, service account, named port, probe paths, default policy. */
  policy: PolicyWorkload;
  /** Where the app and its proxy are reached from the runtime: 127.0.0.1, or the pod's own address. */
  host: string;
  /** The pod's network namespace (pods), or null when everything shares the machine's (explicit proxy). */
  netns: string | null;
  /** The pod's traffic reaches its proxy through iptables redirection (pods with meshviz-proxy-init). */
  transparent: boolean;
  appPort: number;
  proxy: { inbound: number; outbound: number; admin: number; tap: number };
  /** The user's program (a workload with `command`), or null for the demo service and the clients. */
  program: ProgramPlan | null;
}

/** A workload's own program, as the mesh file gives it. */
export interface ProgramPlan {
  command: string[];
  env: Record<string, string>;
  cwd: string;
  /** null: the program serves no port (a client); it counts as ready once started. */
  readiness: Readiness | null;
}

/**
 * Where replicas live. explicit: on this machine's loopback, every port allocated, apps addressing their outbound
 * proxy. pods: each replica in its own network namespace with its address, the proxy's well-known ports and the
 * workload's own port; services get virtual addresses (see pods/network.ts).
 */
export type Layout =
  | { kind: 'explicit' }
  | {
      kind: 'pods';
      /** The network namespace and address of the n-th pod (counting every replica and client from 0). */
      pod(n: number, namespace: string, pod: string): { netns: string; ip: string };
      /** The virtual address of the n-th service. */
      serviceIp(n: number): string;
      /** Interception by iptables in each pod; else the apps address their proxy (as explicit) inside the pod. */
      transparent: boolean;
    };

/** The demo service's port inside a pod (a workload's `port` wins), and the clients' admin port. */
export const POD_APP_PORT = 8080;
const POD_CLIENT_ADMIN_PORT = 9990;

export interface MeshPlan {
  replicas: ReplicaPlan[];
  loadgen: ReplicaPlan | null;
  /** The mesh file's extra clients, one replica each, in the mesh file's order. */
  clients: ReplicaPlan[];
  destinations: DestinationsFile;
  /** Pods: every service's virtual address (also the clusterIPs of its discovery entry). */
  serviceIps: { service: string; namespace: string; ip: string }[];
}

const HOST = '127.0.0.1';

interface WorkloadShape {
  routes: RouteBehaviour[] | null;
  identity: string;
  policy: PolicyWorkload;
  program: ProgramPlan | null;
  /** The port the workload serves inside a pod. */
  port: number;
}

export interface PlanOptions {
  trustDomain?: string;
  /** Directory the mesh file's relative paths (cwd) start from. */
  baseDir?: string;
  layout?: Layout;
}

/** Lays out every replica (on free loopback ports, or in pods) and derives the discovery table the proxies read. */
export async function planMesh(mesh: MeshFile, ports: PortAllocator, options: PlanOptions | string = {}): Promise<MeshPlan> {
  const o = typeof options === 'string' ? { trustDomain: options } : options;
  const trustDomain = o.trustDomain ?? DEFAULT_TRUST_DOMAIN;
  const layout = o.layout ?? { kind: 'explicit' };
  const baseDir = o.baseDir ?? process.cwd();
  let pods = 0;
  const replica = async (namespace: string, workload: string, index: number, shape: WorkloadShape): Promise<ReplicaPlan> => {
    const { port, ...rest } = shape;
    const base = { namespace, workload, pod: `${workload}-${index}`, ...rest };
    if (layout.kind === 'pods') {
      const { netns, ip } = layout.pod(pods++, namespace, base.pod);
      return { ...base, host: ip, netns, transparent: layout.transparent, appPort: port, proxy: { ...PROXY_PORTS } };
    }
    const appPort = await ports.next();
    const proxy = { inbound: await ports.next(), outbound: await ports.next(), admin: await ports.next(), tap: await ports.next() };
    return { ...base, host: HOST, netns: null, transparent: false, appPort, proxy };
  };
  const replicas: ReplicaPlan[] = [];
  const id = (serviceAccount: string, namespace: string) => identityName({ serviceAccount, namespace, trustDomain });
  const policies = new Map(policyWorkloads(mesh, trustDomain).workloads.map((w) => [`${w.namespace}/${w.name}`, w]));
  const shape = (namespace: string, name: string, routes: RouteBehaviour[] | null, program: ProgramPlan | null, port: number): WorkloadShape => {
    const policy = policies.get(`${namespace}/${name}`)!;
    return { routes, identity: id(policy.serviceAccount, namespace), policy, program, port };
  };
  for (const ns of mesh.namespaces) {
    for (const w of ns.workloads) {
      const program: ProgramPlan | null = w.command
        ? {
            command: w.command,
            env: w.env,
            cwd: path.resolve(baseDir, w.cwd ?? '.'),
            readiness: w.port === undefined ? null : (w.readiness ?? { tcpSocket: {} }),
          }
        : null;
      for (let i = 0; i < w.replicas; i++) {
        const override = w.replicaOverrides.find((o) => o.replica === i);
        const { replica: _, ...values } = override ?? { replica: i };
        const routes = override ? w.routes.map((route) => ({ ...route, ...values })) : w.routes;
        replicas.push(await replica(ns.name, w.name, i, shape(ns.name, w.name, routes, program, w.port ?? POD_APP_PORT)));
      }
    }
  }
  const { load } = mesh;
  // The load generator and other clients serve only their admin endpoint (/healthz, counts) on their app port.
  const loadgen = load ? await replica(load.namespace, load.name, 0, shape(load.namespace, load.name, null, null, POD_CLIENT_ADMIN_PORT)) : null;
  const clients: ReplicaPlan[] = [];
  for (const c of mesh.clients) clients.push(await replica(c.namespace, c.name, 0, shape(c.namespace, c.name, null, null, POD_CLIENT_ADMIN_PORT)));

  const destinations: DestinationsFile = { services: {} };
  const serviceIps: MeshPlan['serviceIps'] = [];
  const routesOf = new Map(mesh.namespaces.flatMap((ns) => ns.workloads.map((w) => [`${ns.name}/${w.name}`, w.routes] as const)));
  for (const r of replicas) {
    // A program that serves no port is a client only: no service.
    if (r.program && r.program.readiness === null) continue;
    // In the local runtime a service is its workload: same name, same namespace.
    const authority = serviceAuthority(r.workload, r.namespace);
    let dest = destinations.services[authority];
    if (!dest) {
      const n = Object.keys(destinations.services).length;
      dest = {
        namespace: r.namespace,
        service: r.workload,
        endpoints: [],
        routes: routeTable(routesOf.get(`${r.namespace}/${r.workload}`) ?? []),
      };
      if (layout.kind === 'pods') {
        const ip = layout.serviceIp(n);
        serviceIps.push({ service: r.workload, namespace: r.namespace, ip });
        Object.assign(dest, { clusterIPs: [ip] });
      }
      destinations.services[authority] = dest;
    }
    dest.endpoints.push({
      // Explicit: the replica's inbound proxy. Pods: the app's own address, which the pod's rules redirect to it.
      addr: r.transparent ? `${r.host}:${r.appPort}` : `${r.host}:${r.proxy.inbound}`,
      namespace: r.namespace,
      deployment: r.workload,
      pod: r.pod,
      identity: r.identity,
    });
  }
  return { replicas, loadgen, clients, destinations, serviceIps };
}

/** The route table of a demo workload: one exact route per behaviour, named "METHOD /path". */
export function routeTable(routes: RouteBehaviour[]): RouteTable {
  return routes.map((r) => ({
    name: routeName(r.method, r.path),
    method: r.method,
    path: r.path,
    ...(r.retries ? { retries: { limit: r.retries } } : {}),
  }));
}

/** Checks that every downstream call and load target names a workload of the mesh file. */
export function checkReferences(mesh: MeshFile): string[] {
  const known = new Set(mesh.namespaces.flatMap((ns) => ns.workloads.map((w) => `${w.name}.${ns.name}`)));
  const problems: string[] = [];
  for (const ns of mesh.namespaces) {
    for (const w of ns.workloads) {
      for (const r of w.routes) {
        for (const c of r.calls) {
          if (!known.has(c.service)) problems.push(`${ns.name}/${w.name} ${r.path} calls unknown service "${c.service}"`);
        }
      }
      w.replicaOverrides.forEach((o, i) => {
        if (o.replica >= w.replicas) {
          problems.push(`${ns.name}/${w.name} replicaOverrides.${i}.replica: ${o.replica} is not a replica (it has ${w.replicas}, counted from 0)`);
        }
      });
    }
  }
  for (const t of mesh.load?.targets ?? []) {
    if (!known.has(t.service)) problems.push(`load target "${t.service}" is not a workload of the mesh file`);
  }
  const names = new Set(mesh.namespaces.flatMap((ns) => ns.workloads.map((w) => `${ns.name}/${w.name}`)));
  if (mesh.load) names.add(`${mesh.load.namespace}/${mesh.load.name}`);
  mesh.clients.forEach((c, i) => {
    if (names.has(`${c.namespace}/${c.name}`)) problems.push(`clients.${i}: ${c.namespace}/${c.name} is already a workload of the mesh file`);
    names.add(`${c.namespace}/${c.name}`);
    for (const t of c.targets) {
      if (!known.has(t.service)) problems.push(`clients.${i} (${c.namespace}/${c.name}) target "${t.service}" is not a workload of the mesh file`);
    }
  });
  return problems;
}
