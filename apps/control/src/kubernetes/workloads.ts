import type { V1Pod } from '@meshviz/kube';
import { podWorkload } from '@meshviz/kube';
import { DefaultPolicy, type PolicyWorkload, type PolicyWorkloads } from '@meshviz/mesh-types';
import { PROXY_CONTAINER } from '../injector/sidecar.js';
import { isMeshed } from './discovery.js';

/**
 * The workloads the policy service compiles for: one per meshed pods' workload (`<namespace>/<deployment>` — the
 * `PROXY_POLICY_WORKLOAD` the injector gives their proxies), with the labels, container ports and probe paths of
 * its first pod by name and the default policy its proxy was injected with. Pods that are finished or being
 * deleted are not counted.
 */
export function clusterWorkloads(pods: readonly V1Pod[], trustDomain: string, clusterNetworks: readonly string[]): PolicyWorkloads {
  const byWorkload = new Map<string, V1Pod>();
  const live = pods
    .filter((p) => isMeshed(p) && !p.metadata?.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed')
    .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  for (const pod of live) {
    const key = `${pod.metadata?.namespace}/${podWorkload(pod).name}`;
    if (!byWorkload.has(key)) byWorkload.set(key, pod);
  }
  const workloads: PolicyWorkload[] = [...byWorkload.keys()].sort().map((key) => {
    const pod = byWorkload.get(key)!;
    const apps = (pod.spec?.containers ?? []).filter((c) => c.name !== PROXY_CONTAINER);
    const proxyEnv = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find((c) => c.name === PROXY_CONTAINER)?.env ?? [];
    const declared = DefaultPolicy.safeParse(proxyEnv.find((e) => e.name === 'PROXY_INBOUND_DEFAULT_POLICY')?.value);
    const paths = apps.flatMap((c) => [c.readinessProbe, c.livenessProbe, c.startupProbe].map((p) => p?.httpGet?.path));
    return {
      namespace: pod.metadata?.namespace ?? '',
      name: podWorkload(pod).name,
      serviceAccount: pod.spec?.serviceAccountName || 'default',
      labels: { ...(pod.metadata?.labels ?? {}) },
      ports: apps.flatMap((c) => (c.ports ?? []).map((p) => ({ port: p.containerPort, ...(p.name ? { name: p.name } : {}) }))),
      probePaths: [...new Set(paths.filter((p): p is string => typeof p === 'string' && p.startsWith('/')))],
      defaultPolicy: declared.success ? declared.data : 'all-unauthenticated',
    };
  });
  return { trustDomain, clusterNetworks: [...clusterNetworks], workloads };
}
