import type { z } from 'zod';

/**
 * An error or warning about the policy directory: the file, the resource (`Kind namespace/name`, or the document's
 * place in the file when it has no usable metadata), the field path (`spec.targetRef.name`; "" for the resource as
 * a whole) and what is wrong.
 */
export interface PolicyIssue {
  readonly file: string;
  readonly resource: string;
  readonly path: string;
  readonly message: string;
}

/** `policy/billing.yaml: AuthorizationPolicy billing/ledger-from-payments: spec.targetRef.name: …` */
export function formatPolicyIssue(issue: PolicyIssue): string {
  return [issue.file, issue.resource, issue.path, issue.message].filter((part) => part !== '').join(': ');
}

export function joinPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

// Gateway API fields meshviz refuses on routes, with the reason instead of "unknown field".
const UNSUPPORTED_GATEWAY_FIELDS: Record<string, string> = {
  hostnames: "a meshviz route applies to its parent (a Server's workload or a Service's authority): there are no hostnames to match",
  queryParams: 'meshviz routes do not match query parameters',
  filters: 'meshviz routes do not rewrite or redirect requests (inject faults with the fault.meshviz.io annotations)',
  retry: 'meshviz outbound routes retry as the retry.meshviz.io annotations say; inbound routes do not retry',
  sessionPersistence: 'meshviz routes have no session persistence',
  sectionName: 'meshviz parents have no sections (a Service parent may name a port)',
  externalWorkloadSelector: 'meshviz Servers select pods only (podSelector)',
};

/** One zod issue as messages with exact field paths under `prefix`; an unknown key becomes its own path. */
export function zodIssueMessages(issue: z.core.$ZodIssue, prefix: readonly PropertyKey[] = []): { path: string; message: string }[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const why = key === 'sectionName' && !path.includes('parentRefs') ? undefined : UNSUPPORTED_GATEWAY_FIELDS[key];
      return { path: joinPath([...path, key]), message: why ? `unsupported field: ${why}` : 'unknown field' };
    });
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) {
    return [{ path: joinPath(path), message: 'is required' }];
  }
  return [{ path: joinPath(path), message: issue.message }];
}
