import { rename, writeFile } from 'node:fs/promises';
import type { PodStatus, PodStatusFile } from '@meshviz/mesh-types';
import type { PodRef, Supervised } from './processes.js';

/**
 * Restarts per pod, kept by the runtime and written to the pod status file the API reads (replaced whole, through
 * a rename, so a reader never sees half of it).
 */
export class PodStatusBook {
  private readonly pods = new Map<string, PodStatus>();
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {}

  /** A pod with no restarts yet: listed from its start, so restarts read 0 rather than unknown. */
  add(ref: Omit<PodRef, 'container'>): void {
    const key = `${ref.namespace}/${ref.pod}`;
    if (!this.pods.has(key)) {
      this.pods.set(key, { namespace: ref.namespace, deployment: ref.deployment, pod: ref.pod, restarts: 0, containers: {}, crashLoop: false });
    }
  }

  remove(namespace: string, pod: string): Promise<void> {
    this.pods.delete(`${namespace}/${pod}`);
    return this.write();
  }

  /** Counts a container's restart (the supervisor's count) and rewrites the file. */
  restarted(p: Supervised, crashLoop: boolean): Promise<void> {
    const ref = p.spec.pod;
    if (!ref) return Promise.resolve();
    this.add(ref);
    const pod = this.pods.get(`${ref.namespace}/${ref.pod}`)!;
    pod.containers[ref.container] = { restarts: p.restarts, lastExit: p.lastExit };
    pod.restarts = Object.values(pod.containers).reduce((a, c) => a + c.restarts, 0);
    pod.crashLoop = crashLoop;
    return this.write();
  }

  snapshot(): PodStatusFile {
    return { pods: [...this.pods.values()].map((p) => ({ ...p, containers: { ...p.containers } })) };
  }

  write(): Promise<void> {
    const body = JSON.stringify(this.snapshot(), null, 2);
    this.writing = this.writing.then(async () => {
      const tmp = `${this.file}.tmp`;
      await writeFile(tmp, body);
      await rename(tmp, this.file);
    });
    return this.writing.catch(() => {});
  }
}
