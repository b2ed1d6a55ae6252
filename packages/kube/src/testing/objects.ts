import type { StandInObject } from './list-watch-stand-in.js';

/**
 * Objects in the shape the API server serves them (the fields a list or watch of a cluster returns that meshviz
 * reads, and some it does not), for the stand-in. Built by function so each test states only what it varies.
 */

export interface PodShape {
  namespace: string;
  name: string;
  ip: string;
  serviceAccount?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Application container ports. */
  ports?: { name?: string; containerPort: number }[];
  /** The owning ReplicaSet (a Deployment's pod). */
  replicaSet?: string;
  ready?: boolean;
  /** Adds the meshviz proxy as a native sidecar with its tap and admin ports. */
  meshed?: boolean;
  readinessPath?: string;
}

export function pod(shape: PodShape): StandInObject {
  const ready = shape.ready ?? true;
  const sidecar = {
    name: 'meshviz-proxy',
    image: 'meshviz/proxy:dev',
    restartPolicy: 'Always',
    ports: [
      { name: 'proxy-inbound', containerPort: 4143, protocol: 'TCP' },
      { name: 'admin-http', containerPort: 4191, protocol: 'TCP' },
      { name: 'tap', containerPort: 4190, protocol: 'TCP' },
    ],
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: shape.name,
      namespace: shape.namespace,
      labels: shape.labels ?? {},
      annotations: shape.annotations ?? {},
      creationTimestamp: '2026-11-30T10:00:00Z',
      ...(shape.replicaSet
        ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: shape.replicaSet, uid: `rs-${shape.replicaSet}`, controller: true }] }
        : {}),
    },
    spec: {
      serviceAccountName: shape.serviceAccount ?? 'default',
      nodeName: 'node-a',
      ...(shape.meshed ? { initContainers: [sidecar] } : {}),
      containers: [
        {
          name: 'app',
          image: 'registry.example/app:1.0',
          ports: (shape.ports ?? []).map((p) => ({ ...p, protocol: 'TCP' })),
          ...(shape.readinessPath ? { readinessProbe: { httpGet: { path: shape.readinessPath, port: shape.ports?.[0]?.containerPort ?? 8080 } } } : {}),
        },
      ],
    },
    status: {
      phase: 'Running',
      podIP: shape.ip,
      podIPs: [{ ip: shape.ip }],
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
    },
  };
}

export interface ServiceShape {
  namespace: string;
  name: string;
  clusterIP: string;
  ports: { name?: string; port: number; targetPort?: number | string }[];
  selector?: Record<string, string>;
  annotations?: Record<string, string>;
}

export function service(shape: ServiceShape): StandInObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: shape.name, namespace: shape.namespace, annotations: shape.annotations ?? {}, creationTimestamp: '2026-11-30T10:00:00Z' },
    spec: {
      type: 'ClusterIP',
      clusterIP: shape.clusterIP,
      clusterIPs: [shape.clusterIP],
      selector: shape.selector ?? { app: shape.name },
      ports: shape.ports.map((p) => ({ protocol: 'TCP', ...p, targetPort: p.targetPort ?? p.port })),
    },
    status: { loadBalancer: {} },
  };
}

export interface SliceShape {
  namespace: string;
  service: string;
  /** Defaults to `<service>-abcde`. */
  name?: string;
  ports: { name?: string; port: number }[];
  endpoints: { ip: string; pod: string; ready?: boolean; terminating?: boolean }[];
}

export function endpointSlice(shape: SliceShape): StandInObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: shape.name ?? `${shape.service}-abcde`,
      namespace: shape.namespace,
      labels: { 'kubernetes.io/service-name': shape.service, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' },
    },
    addressType: 'IPv4',
    ports: shape.ports.map((p) => ({ protocol: 'TCP', ...p })),
    endpoints: shape.endpoints.map((e) => ({
      addresses: [e.ip],
      conditions: { ready: e.ready ?? true, serving: e.ready ?? true, terminating: e.terminating ?? false },
      nodeName: 'node-a',
      targetRef: { kind: 'Pod', namespace: shape.namespace, name: e.pod, uid: `uid-${e.pod}` },
    })),
  };
}

export function namespace(name: string, annotations: Record<string, string> = {}): StandInObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, annotations, labels: { 'kubernetes.io/metadata.name': name } }, spec: {}, status: { phase: 'Active' } };
}
