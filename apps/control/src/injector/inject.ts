import { podWorkload } from '@meshviz/kube';
import { INTERCEPTION_ANNOTATIONS } from '@meshviz/mesh-types';
import { AnnotationError, readOverrides } from './annotations.js';
import { type InjectorSettings, initContainer, PROXY_CONTAINER, proxyContainer, sidecarVolumes } from './sidecar.js';

/** The parts of a pod the injector reads (as the admission request carries it). */
export interface PodView {
  metadata?: {
    name?: string;
    generateName?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { kind?: string; name?: string; controller?: boolean }[];
  };
  spec?: {
    hostNetwork?: boolean;
    serviceAccountName?: string;
    initContainers?: ContainerView[];
    containers?: ContainerView[];
    volumes?: unknown[];
  };
}

interface ContainerView {
  name?: string;
  ports?: { containerPort?: number }[];
  readinessProbe?: { httpGet?: { path?: string } };
  livenessProbe?: { httpGet?: { path?: string } };
  startupProbe?: { httpGet?: { path?: string } };
}

export type PatchOperation = { op: 'add'; path: string; value: unknown };

/** The labels and annotation Prometheus relabels on and the dashboard reads. */
export const INJECTED_LABELS = {
  proxyVersion: 'meshviz.io/proxy-version',
  workloadNamespace: 'meshviz.io/workload-ns',
  /** Followed by the owner's kind: `meshviz.io/proxy-deployment`, `…-statefulset`, `…-daemonset`, `…-replicaset`, `…-job`. */
  ownerPrefix: 'meshviz.io/proxy-',
} as const;
export const INJECTED_ANNOTATION = 'meshviz.io/proxy-injected';

export type InjectResult =
  | { kind: 'patch'; patch: PatchOperation[] }
  | { kind: 'skip'; reason: string; warn: boolean }
  | { kind: 'refuse'; message: string };

/**
 * Decides whether a pod gets the proxy and builds the JSON patch that adds it. The pod's `meshviz.io/inject`
 * wins over its namespace's; a pod that already has the proxy is left alone (a re-admitted pod gets no second
 * one); a hostNetwork pod is skipped with a warning (its iptables rules would be the node's). Annotations that do
 * not parse refuse the pod, naming the annotation, rather than mesh it in a way nobody asked for.
 */
export function injectPod(
  pod: PodView,
  requestNamespace: string,
  namespaceAnnotations: Readonly<Record<string, string>>,
  settings: InjectorSettings,
  anchorsPem: string | undefined,
): InjectResult {
  const annotations = pod.metadata?.annotations ?? {};
  const spec = pod.spec ?? {};
  const key = INTERCEPTION_ANNOTATIONS.inject;
  const podValue = annotations[key];
  const nsValue = namespaceAnnotations[key];
  if ([...(spec.initContainers ?? []), ...(spec.containers ?? [])].some((c) => c.name === PROXY_CONTAINER)) {
    return { kind: 'skip', reason: `the pod already has the ${PROXY_CONTAINER} container`, warn: false };
  }
  const decided = podValue ?? nsValue;
  if (decided !== 'enabled') {
    const where = podValue !== undefined ? 'the pod' : nsValue !== undefined ? 'the namespace' : undefined;
    return { kind: 'skip', reason: where ? `${key} is "${decided}" on ${where}` : `neither the pod nor its namespace has ${key}: enabled`, warn: false };
  }
  if (spec.hostNetwork) {
    return {
      kind: 'skip',
      reason: `meshviz: not injected: the pod uses hostNetwork, and the proxy's iptables rules would redirect the node's own traffic`,
      warn: true,
    };
  }
  if (!settings.trustAnchorsConfigMap && !anchorsPem) {
    return { kind: 'skip', reason: 'meshviz: not injected: the control plane has no trust anchors loaded yet', warn: true };
  }
  let overrides: ReturnType<typeof readOverrides>;
  try {
    overrides = readOverrides(annotations, namespaceAnnotations);
  } catch (error) {
    if (error instanceof AnnotationError) return { kind: 'refuse', message: `meshviz: cannot inject the proxy: ${error.message}` };
    throw error;
  }
  const namespace = pod.metadata?.namespace || requestNamespace;
  const workload = podWorkload(pod);
  const containers = spec.containers ?? [];
  const facts = {
    namespace,
    serviceAccount: spec.serviceAccountName || 'default',
    workload: `${namespace}/${workload.name}`,
    deployment: workload.name,
    appPort: containers.flatMap((c) => c.ports ?? []).find((p) => p.containerPort !== undefined)?.containerPort,
    probePaths: probePaths(containers),
  };
  const labels: Record<string, string> = {
    [INJECTED_LABELS.proxyVersion]: settings.proxyVersion,
    [INJECTED_LABELS.workloadNamespace]: namespace,
    ...(workload.kind !== 'pod' ? { [`${INJECTED_LABELS.ownerPrefix}${workload.kind}`]: workload.name } : {}),
  };
  const patch: PatchOperation[] = [
    ...mapPatch('/metadata/labels', pod.metadata?.labels, labels),
    ...mapPatch('/metadata/annotations', pod.metadata?.annotations, { [INJECTED_ANNOTATION]: settings.proxyVersion }),
    ...prependPatch('/spec/initContainers', spec.initContainers, [initContainer(settings, overrides), proxyContainer(settings, facts, overrides, anchorsPem ?? '')]),
    ...appendPatch('/spec/volumes', spec.volumes, sidecarVolumes(settings)),
  ];
  return { kind: 'patch', patch };
}

function probePaths(containers: readonly ContainerView[]): string[] {
  const paths = containers.flatMap((c) => [c.readinessProbe, c.livenessProbe, c.startupProbe].map((p) => p?.httpGet?.path));
  return [...new Set(paths.filter((p): p is string => typeof p === 'string' && p.startsWith('/')).map((p) => p.split('?')[0]!))];
}

/** JSON pointer escaping of a map key (`meshviz.io/x` → `meshviz.io~1x`). */
const escapeKey = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');

function mapPatch(path: string, current: Record<string, string> | undefined, add: Record<string, string>): PatchOperation[] {
  if (!current) return [{ op: 'add', path, value: add }];
  return Object.entries(add).map(([k, v]) => ({ op: 'add' as const, path: `${path}/${escapeKey(k)}`, value: v }));
}

/** Puts `items` first, in order (index i for the i-th: each add shifts the existing entries right). */
function prependPatch(path: string, current: unknown[] | undefined, items: unknown[]): PatchOperation[] {
  if (!current || current.length === 0) return [{ op: 'add', path, value: items }];
  return items.map((value, i) => ({ op: 'add' as const, path: `${path}/${i}`, value }));
}

function appendPatch(path: string, current: unknown[] | undefined, items: unknown[]): PatchOperation[] {
  if (!current || current.length === 0) return [{ op: 'add', path, value: items }];
  return items.map((value) => ({ op: 'add' as const, path: `${path}/-`, value }));
}
