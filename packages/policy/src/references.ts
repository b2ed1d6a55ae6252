import type { PolicyWorkload } from '@meshviz/mesh-types';
import type { PolicyIssue } from './issues.js';
import { type DeclaredResource, type LoadedResource, resourceKey } from './parse-documents.js';

/**
 * Reference errors: a name that no document declares. References are checked against every declared resource,
 * valid or not, so a resource with a bad field is reported once, not again by everything that refers to it.
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
  workloads: readonly PolicyWorkload[],
): PolicyIssue[] {
  const keys = new Set(declared.map((d) => d.key));
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
          const key = resourceKey('Server', ns, ref.name);
          if (!keys.has(key)) missing(`spec.parentRefs.${i}.name`, key);
        });
        break;
      case 'Server': {
        const port = resource.spec.port;
        const named = (w: PolicyWorkload) => w.namespace === ns && w.ports.some((p) => p.name === port);
        if (typeof port === 'string' && !workloads.some(named)) {
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
