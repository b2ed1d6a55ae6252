import type { DestinationsFile, PolicyWorkload } from '@meshviz/mesh-types';
import type { PolicyIssue } from './issues.js';
import { type DeclaredResource, type LoadedResource, resourceKey } from './parse-documents.js';
import { routeDirection } from './resources.js';
import { discoveredService, resolveBackend } from './service-discovery.js';

/**
 * Reference errors: a name that no document declares, or a Service that discovery does not list. References are
 * checked against every declared resource, valid or not, so a resource with a bad field is reported once, not again
 * by everything that refers to it.
 */

/** Two documents with the same kind, namespace and name: the later one is the error, naming where the first is. */
export function duplicateErrors(declared: readonly DeclaredResource[]): PolicyIssue[] {
  const first = new Map<string, DeclaredResource>();
  const errors: PolicyIssue[] = [];
  for (const d of declared) {
    const seen = first.get(d.key);
    if (!seen) {
      first.set(d.key, d);
      continue;
    }
    const where = seen.file === d.file ? `document ${seen.document} of this file` : `${seen.file} (document ${seen.document})`;
    errors.push({ file: d.file, resource: d.key, path: 'metadata.name', message: `duplicate: ${d.key} is also declared in ${where}` });
  }
  return errors;
}

export function referenceErrors(
  loaded: readonly LoadedResource[],
  declared: readonly DeclaredResource[],
  workloads: readonly PolicyWorkload[] | null,
  destinations: DestinationsFile | undefined,
): PolicyIssue[] {
  const keys = new Set(declared.map((d) => d.key));
  const outboundRoutes = new Set(
    loaded.flatMap(({ resource: r }) =>
      (r.kind === 'HTTPRoute' || r.kind === 'GRPCRoute') && routeDirection(r) === 'outbound'
        ? [resourceKey(r.kind, r.metadata.namespace, r.metadata.name)]
        : [],
    ),
  );
  const errors: PolicyIssue[] = [];
  for (const { file, label, resource } of loaded) {
    const ns = resource.metadata.namespace;
    const missing = (path: string, key: string) =>
      errors.push({ file, resource: label, path, message: `${key} does not exist (no policy document declares it)` });
    switch (resource.kind) {
      case 'AuthorizationPolicy': {
        const target = resource.spec.targetRef;
        if (target.kind !== 'Namespace') {
          const key = resourceKey(target.kind, ns, target.name);
          if (!keys.has(key)) missing('spec.targetRef.name', key);
          if (outboundRoutes.has(key)) {
            const message = `${key} is an outbound route (attached to a Service): authorization policies target inbound routes (attached to a Server)`;
            errors.push({ file, resource: label, path: 'spec.targetRef.name', message });
          }
        }
        resource.spec.requiredAuthenticationRefs.forEach((ref, i) => {
          if (ref.kind === 'ServiceAccount') return; // service accounts live with workloads; see warnings
          const key = resourceKey(ref.kind, ref.namespace ?? ns, ref.name);
          if (!keys.has(key)) missing(`spec.requiredAuthenticationRefs.${i}.name`, key);
        });
        break;
      }
      case 'HTTPRoute':
      case 'GRPCRoute':
        resource.spec.parentRefs.forEach((ref, i) => {
          // Service parents are discovery's; one it lacks is a warning (the route applies to nothing).
          const key = resourceKey('Server', ns, ref.name);
          if (ref.kind === 'Server' && !keys.has(key)) missing(`spec.parentRefs.${i}.name`, key);
        });
        if (!destinations) break;
        resource.spec.rules.forEach((rule, i) => {
          rule.backendRefs?.forEach((ref, j) => {
            const resolved = resolveBackend(destinations, ns, ref.name, ref.port);
            if ('problem' in resolved) {
              const path = `spec.rules.${i}.backendRefs.${j}.${resolved.field}`;
              errors.push({ file, resource: label, path, message: resolved.problem });
            }
          });
        });
        break;
      case 'Service':
        if (destinations && discoveredService(destinations, ns, resource.metadata.name).length === 0) {
          errors.push({
            file,
            resource: label,
            path: 'metadata.name',
            message: `Service ${ns}/${resource.metadata.name} is not in discovery: a Service document annotates a Service discovery knows`,
          });
        }
        break;
      case 'Server': {
        const port = resource.spec.port;
        const named = (w: PolicyWorkload) => w.namespace === ns && w.ports.some((p) => p.name === port);
        if (workloads && typeof port === 'string' && !workloads.some(named)) {
          errors.push({
            file,
            resource: label,
            path: 'spec.port',
            message: `no workload of namespace ${ns} has a port named "${port}"`,
          });
        }
        break;
      }
      default:
        break;
    }
  }
  return errors;
}
