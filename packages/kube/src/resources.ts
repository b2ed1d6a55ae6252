import {
  CoreV1Api,
  CustomObjectsApi,
  DiscoveryV1Api,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  type V1EndpointSlice,
  type V1Namespace,
  type V1Pod,
  type V1Service,
} from '@kubernetes/client-node';

/** A kind the client lists and watches across every namespace (cluster-wide for cluster-scoped kinds). */
export interface ResourceKind<T extends KubernetesObject> {
  /** For logs and errors: `pods`, `httproutes.gateway.networking.k8s.io`. */
  readonly name: string;
  /** The collection's path, which the watch requests too (`/api/v1/pods`). */
  readonly path: string;
  /** Lists the collection: every object and the list's resourceVersion. */
  list(kc: KubeConfig): Promise<KubernetesListObject<T>>;
}

export const PODS: ResourceKind<V1Pod> = {
  name: 'pods',
  path: '/api/v1/pods',
  list: (kc) => kc.makeApiClient(CoreV1Api).listPodForAllNamespaces(),
};

export const SERVICES: ResourceKind<V1Service> = {
  name: 'services',
  path: '/api/v1/services',
  list: (kc) => kc.makeApiClient(CoreV1Api).listServiceForAllNamespaces(),
};

export const ENDPOINT_SLICES: ResourceKind<V1EndpointSlice> = {
  name: 'endpointslices',
  path: '/apis/discovery.k8s.io/v1/endpointslices',
  list: (kc) => kc.makeApiClient(DiscoveryV1Api).listEndpointSliceForAllNamespaces(),
};

export const NAMESPACES: ResourceKind<V1Namespace> = {
  name: 'namespaces',
  path: '/api/v1/namespaces',
  list: (kc) => kc.makeApiClient(CoreV1Api).listNamespace(),
};

/** A custom resource (or any kind served under /apis without a typed client), read as plain JSON. */
export interface CustomObject extends KubernetesObject {
  readonly spec?: unknown;
  readonly [field: string]: unknown;
}

/** A custom kind by group, version and plural (`policy.meshviz.io`, `v1`, `servers`). */
export function customResource(group: string, version: string, plural: string): ResourceKind<CustomObject> {
  return {
    name: `${plural}.${group}`,
    path: `/apis/${group}/${version}/${plural}`,
    list: async (kc) => (await kc.makeApiClient(CustomObjectsApi).listClusterCustomObject({ group, version, plural })) as KubernetesListObject<CustomObject>,
  };
}
