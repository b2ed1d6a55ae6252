import { z } from 'zod';

/** Owner kinds a stats row can be grouped by. Each maps to the scrape-time label of the same name. */
export const WORKLOAD_KINDS = ['deployment', 'statefulset', 'daemonset', 'job', 'cronjob', 'replicaset'] as const;
export const RESOURCE_KINDS = [...WORKLOAD_KINDS, 'pod', 'namespace'] as const;
export const ResourceKind = z.enum(RESOURCE_KINDS);
export type ResourceKind = z.infer<typeof ResourceKind>;

/** A Kubernetes-style DNS-1123 label: what namespaces and workload names are made of. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
export const Dns1123Label = z
  .string()
  .regex(DNS1123_LABEL, 'must be a DNS-1123 label (lower-case letters, digits and "-", at most 63 characters)');

/** Duration such as 30s, 1m, 1h30m, 24h. */
export const DURATION = /^(?:\d+h)?(?:\d+m)?(?:\d+s)?$/;

/** Parses a Prometheus-style duration ("1m", "1h30m", "45s") to seconds; returns null when it is not one. */
export function parseDurationSeconds(text: string): number | null {
  if (text === '' || !DURATION.test(text)) return null;
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  if (!match) return null;
  const [, h = '0', m = '0', s = '0'] = match;
  return Number(h) * 3600 + Number(m) * 60 + Number(s);
}
