import { describe, expect, it } from 'vitest';
import { type PodOwnerView, podWorkload } from './workload.js';

const owned = (kind: string, name: string, hash?: string): PodOwnerView => {
  const labels: Record<string, string> = hash ? { 'pod-template-hash': hash } : {};
  return { metadata: { name: 'p', labels, ownerReferences: [{ kind, name, controller: true }] } };
};

describe('podWorkload', () => {
  it("reads a Deployment from its ReplicaSet's name without the pod-template-hash", () => {
    expect(podWorkload(owned('ReplicaSet', 'web-7c9d8f6b5', '7c9d8f6b5'))).toEqual({ kind: 'deployment', name: 'web' });
    // A ReplicaSet whose name does not end in the hash was made by hand: it is the workload.
    expect(podWorkload(owned('ReplicaSet', 'web-manual', '7c9d8f6b5'))).toEqual({ kind: 'replicaset', name: 'web-manual' });
  });

  it('names other controllers by kind, and a bare pod by its name or generateName', () => {
    expect(podWorkload(owned('StatefulSet', 'db'))).toEqual({ kind: 'statefulset', name: 'db' });
    expect(podWorkload(owned('DaemonSet', 'agent'))).toEqual({ kind: 'daemonset', name: 'agent' });
    expect(podWorkload(owned('Job', 'migrate-1'))).toEqual({ kind: 'job', name: 'migrate-1' });
    expect(podWorkload(owned('Node', 'n1'))).toEqual({ kind: 'pod', name: 'p' });
    expect(podWorkload({ metadata: { generateName: 'debug-' } })).toEqual({ kind: 'pod', name: 'debug' });
  });
});
