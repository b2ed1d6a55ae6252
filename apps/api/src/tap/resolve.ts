import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { PrometheusClient } from '../prometheus/client.js';

/** A proxy that can be tapped. */
export interface TapTarget {
  namespace: string;
  deployment: string;
  pod: string;
  tapAddr: string;
}

export interface TapResolver {
  /** Proxies of a namespace, optionally one workload or one pod. */
  resolve(namespace: string, workload?: string, pod?: string): Promise<TapTarget[]>;
}

const TargetsFile = z.object({
  targets: z.array(z.object({ namespace: z.string(), deployment: z.string(), pod: z.string(), tapAddr: z.string() })),
});

const matches = (t: TapTarget, namespace: string, workload?: string, pod?: string) =>
  t.namespace === namespace && (workload === undefined || t.deployment === workload) && (pod === undefined || t.pod === pod);

/** Local runtime: `meshviz up` writes every proxy's tap address to a file (API_TAP_TARGETS_FILE). */
export function fileResolver(file: string): TapResolver {
  return {
    async resolve(namespace, workload, pod) {
      const parsed = TargetsFile.parse(JSON.parse(await readFile(file, 'utf8')));
      return parsed.targets.filter((t) => matches(t, namespace, workload, pod));
    },
  };
}

/**
 * Clusters: the proxies Prometheus scrapes are the proxies that exist; their tap server listens on the pod's
 * address at the tap port (4190 unless configured).
 */
export function prometheusResolver(prom: PrometheusClient, tapPort: number): TapResolver {
  return {
    async resolve(namespace, workload, pod) {
      const targets = await prom.targets();
      const out: TapTarget[] = [];
      for (const t of targets) {
        const host = new URL(t.scrapeUrl).hostname;
        const target = {
          namespace: t.labels.namespace ?? '',
          deployment: t.labels.deployment ?? '',
          pod: t.labels.pod ?? '',
          tapAddr: `${host.includes(':') ? `[${host}]` : host}:${tapPort}`,
        };
        if (t.health === 'up' && target.pod && matches(target, namespace, workload, pod)) out.push(target);
      }
      return out;
    },
  };
}
