export type { KubeConfig, KubernetesObject, V1EndpointSlice, V1Namespace, V1Pod, V1Service } from '@kubernetes/client-node';
export { BookmarkWatch } from './bookmark-watch.js';
export { type ApiServerOptions, kubeConfigFor } from './kube-config.js';
export { type CacheEvent, type CacheListener, ResourceCache, type ResourceCacheOptions } from './resource-cache.js';
export { type CustomObject, customResource, ENDPOINT_SLICES, NAMESPACES, PODS, type ResourceKind, SERVICES } from './resources.js';
export { type PodOwnerView, podWorkload, type WorkloadKind, type WorkloadRef } from './workload.js';
