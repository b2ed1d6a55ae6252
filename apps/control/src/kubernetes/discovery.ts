import type { V1EndpointSlice, V1Pod, V1Service } from '@meshviz/kube';
import { podWorkload } from '@meshviz/kube';
import { CLUSTER_DOMAIN, type DestinationsFile, type Endpoint, identityName, type ServiceDestination } from '@meshviz/mesh-types';
import { PROXY_CONTAINER } from '../injector/sidecar.js';

/** Whether the pod runs meshviz's proxy (injected as a native sidecar, or as a plain container). */
export function isMeshed(pod: V1Pod): boolean {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].some((c) => c.name === PROXY_CONTAINER);
}

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/**
 * The discovery table from the cluster: one entry per Service and port — keyed by the Service's authority
 * (`web.shop.svc.cluster.local`) when it has one port, by authority and port (`…:8080`) when it has several — with
 * its cluster IPs and the ready endpoints of its EndpointSlices at their target ports. An endpoint of a meshed pod
 * carries that pod's identity (from its service account); a slice's `ready: false` endpoint is left out (an
 * absent condition counts as ready, as the API defines it). ExternalName Services and IPv6 slices are not listed
 * (the table's addresses are IPv4 host:port).
 */
export function discoveryTable(
  services: readonly V1Service[],
  slices: readonly V1EndpointSlice[],
  podOf: (namespace: string, name: string) => V1Pod | undefined,
  trustDomain: string,
): DestinationsFile {
  const byService = new Map<string, V1EndpointSlice[]>();
  for (const slice of slices) {
    const service = slice.metadata?.labels?.[SERVICE_NAME_LABEL];
    if (!service || slice.addressType !== 'IPv4') continue;
    const key = `${slice.metadata?.namespace}/${service}`;
    byService.set(key, [...(byService.get(key) ?? []), slice]);
  }
  const table: Record<string, ServiceDestination> = {};
  const sorted = [...services].sort((a, b) => key(a).localeCompare(key(b)));
  for (const svc of sorted) {
    const namespace = svc.metadata?.namespace ?? '';
    const name = svc.metadata?.name ?? '';
    if (svc.spec?.type === 'ExternalName') continue;
    const ports = svc.spec?.ports ?? [];
    const clusterIPs = (svc.spec?.clusterIPs ?? (svc.spec?.clusterIP ? [svc.spec.clusterIP] : [])).filter((ip) => ip !== 'None');
    const authority = `${name}.${namespace}.${CLUSTER_DOMAIN}`;
    for (const port of ports) {
      const endpoints: Endpoint[] = [];
      for (const slice of byService.get(`${namespace}/${name}`) ?? []) {
        // A slice names its ports after the Service's (unnamed when the Service has one port).
        const target = slice.ports?.find((p) => (p.name ?? '') === (port.name ?? ''))?.port;
        if (target === undefined) continue;
        for (const ep of slice.endpoints ?? []) {
          if (ep.conditions?.ready === false) continue;
          const ip = ep.addresses[0];
          if (!ip) continue;
          const pod = ep.targetRef?.kind === 'Pod' && ep.targetRef.name ? podOf(namespace, ep.targetRef.name) : undefined;
          const meshed = pod !== undefined && isMeshed(pod);
          endpoints.push({
            addr: `${ip}:${target}`,
            namespace,
            deployment: pod ? podWorkload(pod).name : '',
            pod: ep.targetRef?.name ?? '',
            ...(meshed ? { identity: identityName({ serviceAccount: pod.spec?.serviceAccountName || 'default', namespace, trustDomain }) } : {}),
          });
        }
      }
      endpoints.sort((a, b) => a.addr.localeCompare(b.addr));
      const entryKey = ports.length === 1 ? authority : `${authority}:${port.port}`;
      table[entryKey] = { namespace, service: name, endpoints, ...(clusterIPs.length > 0 ? { clusterIPs } : {}) };
    }
  }
  return { services: table };
}

const key = (o: { metadata?: { namespace?: string; name?: string } }) => `${o.metadata?.namespace}/${o.metadata?.name}`;
