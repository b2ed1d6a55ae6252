import type { z } from 'zod';
import { isOutboundAnnotation, readOutboundAnnotations } from './outbound-annotations.js';

/**
 * Checks of a route as a whole, which depend on what it is attached to: a route whose parents are Servers is
 * inbound (it names requests for authorization) and has no backends, timeouts or outbound annotations; a route
 * whose parents are Services is outbound, and its annotations and backends are checked. They read the input
 * defensively and run even when other fields failed, so one pass names every problem.
 */

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const INBOUND_ONLY_FIELDS: Record<string, string> = {
  backendRefs: 'unsupported field: a route attached to a Server serves the workload itself; there are no backends to pick',
  timeouts: 'unsupported field: meshviz inbound routes have no timeouts (attach the route to a Service for outbound timeouts)',
};

/** `inbound` (Server parents), `outbound` (Service parents), or undefined when mixed or unknown. */
export function routeDirectionOf(parentRefs: unknown): 'inbound' | 'outbound' | undefined {
  const kinds = new Set((Array.isArray(parentRefs) ? parentRefs : []).map((r) => (isRecord(r) ? r.kind : undefined)));
  if (kinds.has('Server') && !kinds.has('Service')) return 'inbound';
  if (kinds.has('Service') && !kinds.has('Server')) return 'outbound';
  return undefined;
}

export function checkRoute(route: unknown, ctx: z.RefinementCtx): void {
  if (!isRecord(route)) return;
  const metadata = isRecord(route.metadata) ? route.metadata : {};
  const spec = isRecord(route.spec) ? route.spec : {};
  const namespace = typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
  const refs = Array.isArray(spec.parentRefs) ? spec.parentRefs : [];
  const rules = Array.isArray(spec.rules) ? spec.rules : [];
  const annotations = isRecord(metadata.annotations) ? metadata.annotations : {};
  const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message });

  refs.forEach((ref, i) => {
    if (!isRecord(ref) || typeof ref.namespace !== 'string' || namespace === undefined || ref.namespace === namespace) return;
    const kind = ref.kind === 'Service' ? 'Service' : 'Server';
    issue(['spec', 'parentRefs', i, 'namespace'], `a ${kind} parent must be in the route's own namespace "${namespace}"`);
  });

  const kinds = new Set(refs.map((r) => (isRecord(r) ? r.kind : undefined)));
  if (kinds.has('Server') && kinds.has('Service')) {
    issue(['spec', 'parentRefs'], 'mixes Server and Service parents: a route is inbound (attached to Servers) or outbound (attached to Services), not both');
    return;
  }
  const direction = routeDirectionOf(refs);
  if (direction === 'inbound') {
    rules.forEach((rule, i) => {
      if (!isRecord(rule)) return;
      for (const [field, message] of Object.entries(INBOUND_ONLY_FIELDS)) {
        // A GRPCRoute's timeouts are refused by its schema whatever the parent.
        if (rule[field] !== undefined && !(field === 'timeouts' && route.kind === 'GRPCRoute')) issue(['spec', 'rules', i, field], message);
      }
    });
    for (const key of Object.keys(annotations).filter(isOutboundAnnotation)) {
      issue(
        ['metadata', 'annotations', key],
        'is an outbound annotation, but this route is attached to a Server (inbound); attach the route to a Service to route its callers',
      );
    }
    return;
  }
  if (direction !== 'outbound') return;
  for (const { key, message } of readOutboundAnnotations(annotations, 'route').issues) issue(['metadata', 'annotations', key], message);
  rules.forEach((rule, i) => {
    const backends = isRecord(rule) && Array.isArray(rule.backendRefs) ? rule.backendRefs : [];
    backends.forEach((backend, j) => {
      if (!isRecord(backend) || typeof backend.namespace !== 'string' || namespace === undefined || backend.namespace === namespace) return;
      issue(
        ['spec', 'rules', i, 'backendRefs', j, 'namespace'],
        `a backend must be in the route's own namespace "${namespace}" (meshviz has no ReferenceGrant)`,
      );
    });
    const weights = backends.map((b) => (isRecord(b) ? (b.weight ?? 1) : 1));
    if (weights.length > 0 && weights.every((w) => w === 0)) {
      issue(['spec', 'rules', i, 'backendRefs'], 'gives every backend weight 0: the rule would send its requests nowhere');
    }
  });
}

/** A Service document's annotations: the defaults of its outbound routes and its endpoints' failure accrual. */
export function checkServiceAnnotations(service: unknown, ctx: z.RefinementCtx): void {
  if (!isRecord(service) || !isRecord(service.metadata) || !isRecord(service.metadata.annotations)) return;
  for (const { key, message } of readOutboundAnnotations(service.metadata.annotations, 'service').issues) {
    ctx.addIssue({ code: 'custom', path: ['metadata', 'annotations', key], message });
  }
}
