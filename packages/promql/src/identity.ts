import { IDENTITY_LABEL, IDENTITY_METRIC, TARGET_LABEL } from '@meshviz/mesh-types';
import { eq, type Matcher, selector } from './label-matchers.js';
import { aggregate, type GroupedQuery } from './rate-sum.js';

/** The labels workloadIdentities groups by, so decoding reads exactly what the query keeps. */
export const WORKLOAD_IDENTITY_LABELS = [TARGET_LABEL.namespace, TARGET_LABEL.deployment, IDENTITY_LABEL.identity] as const;

/**
 * The mTLS identity each workload's proxies hold (one series per pod of identity_cert_info, folded per workload):
 * what the topology shows as the client and server of an edge. One small series per pod, however busy the mesh;
 * `matchers` (on namespace and deployment) narrow it to some workloads.
 */
export function workloadIdentities(matchers: readonly Matcher[] = []): GroupedQuery {
  return { promql: aggregate('max', WORKLOAD_IDENTITY_LABELS, selector(IDENTITY_METRIC.certInfo, matchers)), by: WORKLOAD_IDENTITY_LABELS };
}

/** Each pod of one workload with its identity and when its certificate expires (the value, in epoch seconds). */
export function podCertificates(namespace: string, deployment: string): string {
  const m: Matcher[] = [eq(TARGET_LABEL.namespace, namespace), eq(TARGET_LABEL.deployment, deployment)];
  return `${selector(IDENTITY_METRIC.certExpiration, m)} * on (${TARGET_LABEL.namespace}, ${TARGET_LABEL.pod}) group_left (${IDENTITY_LABEL.identity}) ${selector(IDENTITY_METRIC.certInfo, m)}`;
}
