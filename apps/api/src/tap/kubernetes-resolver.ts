import { type KubeConfig, PODS, podWorkload, ResourceCache, type V1Pod } from '@meshviz/kube';
import { PROXY_CONTAINER_NAME, PROXY_PORT_NAMES } from '@meshviz/mesh-types';
import type { FastifyBaseLogger } from 'fastify';
import type { TapResolver, TapTarget } from './resolve.js';

/** A pod's tap target: its proxy container's port named `tap`, at the pod's IP; none if not meshed or not running. */
export function podTapTarget(pod: V1Pod): TapTarget | undefined {
  const containers = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  const proxy = containers.find((c) => c.name === PROXY_CONTAINER_NAME);
  const port = proxy?.ports?.find((p) => p.name === PROXY_PORT_NAMES.tap)?.containerPort;
  const ip = pod.status?.podIP;
  if (port === undefined || !ip || pod.status?.phase !== 'Running' || pod.metadata?.deletionTimestamp) return undefined;
  return {
    namespace: pod.metadata?.namespace ?? '',
    deployment: podWorkload(pod).name,
    pod: pod.metadata?.name ?? '',
    tapAddr: `${ip.includes(':') ? `[${ip}]` : ip}:${port}`,
  };
}

/**
 * Kubernetes (API_TAP_SOURCE=kubernetes): the meshed pods, from a list/watch cache of pods — every running pod
 * whose proxy container has a port named `tap`, tapped at the pod's IP. Pods appear and leave as the cluster
 * changes, without waiting for a Prometheus scrape.
 */
export function kubernetesResolver(kc: KubeConfig, log: FastifyBaseLogger): TapResolver & { start(): Promise<void>; stop(): Promise<void> } {
  const pods = new ResourceCache(kc, PODS, {
    onError: (error) => log.warn({ err: { message: error.message } }, 'cannot list or watch pods for tap; retrying'),
  });
  return {
    start: () => pods.start(),
    stop: () => pods.stop(),
    async resolve(namespace, workload, pod) {
      const out: TapTarget[] = [];
      for (const p of pods.list(namespace)) {
        const target = podTapTarget(p);
        if (target && (workload === undefined || target.deployment === workload) && (pod === undefined || target.pod === pod)) out.push(target);
      }
      return out.sort((a, b) => a.pod.localeCompare(b.pod));
    },
  };
}
