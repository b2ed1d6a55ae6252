import {
  DEFAULT_TRUST_DOMAIN,
  type DestinationsFile,
  identityName,
  type MeshFile,
  type PolicyWorkload,
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
  /** The demo service's routes, or null for the load generator and other clients. */
  routes: RouteBehaviour[] | null;
  /** The workload as policy sees it: labels, service account, named port, probe paths, default policy. */
  policy: PolicyWorkload;
  appPort: number;
  proxy: { inbound: number; outbound: number; admin: number; tap: number };
}

export interface MeshPlan {
  replicas: ReplicaPlan[];
  loadgen: ReplicaPlan | null;
  /** The mesh file's extra clients, one replica each, in the mesh file's order. */
  clients: ReplicaPlan[];
  destinations: DestinationsFile;
}

const HOST = '127.0.0.1';

interface WorkloadShape {
  routes: RouteBehaviour[] | null;
  identity: string;
  policy: PolicyWorkload;
}

async function replica(
  ports: PortAllocator,
  namespace: string,
  workload: string,
  index: number,
  shape: WorkloadShape,
): Promise<ReplicaPlan> {
  return {
    namespace,
    workload,
    pod: `${workload}-${index}`,
    ...shape,
    appPort: await ports.next(),
    proxy: { inbound: await ports.next(), outbound: await ports.next(), admin: await ports.next(), tap: await ports.next() },
  };
}

/** Lays out every replica on free loopback ports and derives the discovery table the proxies read. */
export async function planMesh(mesh: MeshFile, ports: PortAllocator, trustDomain = DEFAULT_TRUST_DOMAIN): Promise<MeshPlan> {
  const replicas: ReplicaPlan[] = [];
  const id = (serviceAccount: string, namespace: string) => identityName({ serviceAccount, namespace, trustDomain });
  const policies = new Map(policyWorkloads(mesh, trustDomain).workloads.map((w) => [`${w.namespace}/${w.name}`, w]));
  const shape = (namespace: string, name: string, routes: RouteBehaviour[] | null): WorkloadShape => {
    const policy = policies.get(`${namespace}/${name}`)!;
    return { routes, identity: id(policy.serviceAccount, namespace), policy };
  };
  for (const ns of mesh.namespaces) {
    for (const w of ns.workloads) {
      for (let i = 0; i < w.replicas; i++) {
        const override = w.replicaOverrides.find((o) => o.replica === i);
        const { replica: _, ...values } = override ?? { replica: i };
        const routes = override ? w.routes.map((route) => ({ ...route, ...values })) : w.routes;
        replicas.push(await replica(ports, ns.name, w.name, i, shape(ns.name, w.name, routes)));
      }
    }
  }
  const { load } = mesh;
  // The load generator and other clients serve only their admin endpoint (/healthz, counts) on their app port.
  const loadgen = load ? await replica(ports, load.namespace, load.name, 0, shape(load.namespace, load.name, null)) : null;
  const clients: ReplicaPlan[] = [];
  for (const c of mesh.clients) clients.push(await replica(ports, c.namespace, c.name, 0, shape(c.namespace, c.name, null)));

  const destinations: DestinationsFile = { services: {} };
  for (const r of replicas) {
    // In the local runtime a service is its workload: same name, same namespace.
    const authority = serviceAuthority(r.workload, r.namespace);
    const dest = destinations.services[authority] ?? {
      namespace: r.namespace,
      service: r.workload,
      endpoints: [],
      routes: routeTable(r.routes ?? []),
    };
    destinations.services[authority] = dest;
    dest.endpoints.push({
      addr: `${HOST}:${r.proxy.inbound}`,
      namespace: r.namespace,
      deployment: r.workload,
      pod: r.pod,
      identity: r.identity,
    });
  }
  return { replicas, loadgen, clients, destinations };
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
