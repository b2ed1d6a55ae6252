/**
 * What a pod's owner says about its workload, read the same way by the injector (the labels Prometheus relabels
 * on) and by the policy source (the workload a proxy asks its policy for): a Deployment's pod is owned by a
 * ReplicaSet named `<deployment>-<pod-template-hash>`.
 */
export interface PodOwnerView {
  metadata?: {
    name?: string;
    generateName?: string;
    labels?: Record<string, string>;
    ownerReferences?: { kind?: string; name?: string; controller?: boolean }[];
  };
}

export type WorkloadKind = 'deployment' | 'replicaset' | 'statefulset' | 'daemonset' | 'job' | 'pod';

export interface WorkloadRef {
  readonly kind: WorkloadKind;
  readonly name: string;
}

const OWNER_KINDS: Record<string, WorkloadKind> = {
  ReplicaSet: 'replicaset',
  StatefulSet: 'statefulset',
  DaemonSet: 'daemonset',
  Job: 'job',
};

/**
 * The pod's workload: its controller's kind and name, a ReplicaSet whose name ends in the pod's
 * `pod-template-hash` label read as its Deployment; no controller: the pod itself (by name, or by its
 * generateName without the trailing dash when the API has not named it yet).
 */
export function podWorkload(pod: PodOwnerView): WorkloadRef {
  const meta = pod.metadata ?? {};
  const owner = meta.ownerReferences?.find((o) => o.controller) ?? meta.ownerReferences?.[0];
  const kind = owner?.kind ? OWNER_KINDS[owner.kind] : undefined;
  if (owner?.name && kind) {
    const hash = meta.labels?.['pod-template-hash'];
    if (kind === 'replicaset' && hash && owner.name.endsWith(`-${hash}`)) {
      return { kind: 'deployment', name: owner.name.slice(0, -(hash.length + 1)) };
    }
    return { kind, name: owner.name };
  }
  return { kind: 'pod', name: meta.name ?? (meta.generateName ?? 'pod').replace(/-$/, '') };
}
