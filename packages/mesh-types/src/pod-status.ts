import { z } from 'zod';

/**
 * The local runtime's pod status file (JSON): how often each pod's containers (its app and its proxy) were started
 * again after exiting, the figure `kubectl get pods` shows as RESTARTS. `meshviz up` rewrites it on every restart;
 * the API reads it (API_POD_STATUS_FILE) to put restarts on pod and workload rows.
 */
export const PodStatus = z.object({
  namespace: z.string(),
  deployment: z.string(),
  pod: z.string(),
  /** Restarts of all the pod's containers. */
  restarts: z.number().int().nonnegative(),
  containers: z.record(z.string(), z.object({ restarts: z.number().int().nonnegative(), lastExit: z.string().nullable() })),
  /** Set while a container keeps exiting soon after it starts (Kubernetes' CrashLoopBackOff). */
  crashLoop: z.boolean().default(false),
});
export type PodStatus = z.infer<typeof PodStatus>;

export const PodStatusFile = z.object({ pods: z.array(PodStatus) });
export type PodStatusFile = z.infer<typeof PodStatusFile>;
