import type { CustomObject, ResourceCache, V1Service } from '@meshviz/kube';
import type { DestinationsFile, PolicyWorkloads } from '@meshviz/mesh-types';
import { isOutboundAnnotation, type PolicyDocument, type PolicyIssue, type PolicyLoadResult, validateDocuments } from '@meshviz/policy';

/**
 * Policy resources from the cluster, validated by the same checks as the local directory's files
 * (`validateDocuments`): each object becomes one document named by its API path
 * (`/apis/gateway.networking.k8s.io/v1/namespaces/shop/httproutes/web`), so every error names the object and the
 * field. An object the API server stored but the checks refuse does not take the whole mesh's policy down with
 * it: its last good version (or nothing, if it never had one) stays in force and the refusal is reported; only if
 * the rest is still refused is the whole load refused (the catalog then keeps the last good state).
 */
export class ClusterPolicyDocuments {
  private lastGood = new Map<string, PolicyDocument>();

  constructor(
    private readonly caches: readonly ResourceCache<CustomObject>[],
    private readonly services: ResourceCache<V1Service>,
  ) {}

  load(mesh: PolicyWorkloads | null, destinations: DestinationsFile | undefined): { result: PolicyLoadResult; refused: PolicyIssue[] } {
    const docs = this.documents();
    const options = destinations ? { destinations } : {};
    const first = validateDocuments(docs, mesh, options);
    if (first.ok) {
      this.lastGood = new Map(docs.map((d) => [d.file, d]));
      return { result: first, refused: [] };
    }
    const bad = new Set(first.errors.map((e) => e.file));
    const kept = docs.flatMap((d) => {
      if (!bad.has(d.file)) return [d];
      const good = this.lastGood.get(d.file);
      return good ? [good] : [];
    });
    const second = validateDocuments(kept, mesh, options);
    if (!second.ok) return { result: first, refused: [] };
    // What is in force now: the good objects as they are, the refused ones as they last were.
    this.lastGood = new Map(kept.map((d) => [d.file, d]));
    return { result: second, refused: first.errors };
  }

  private documents(): PolicyDocument[] {
    const docs: PolicyDocument[] = [];
    for (const cache of this.caches) {
      for (const object of cache.list()) {
        const { name, namespace, labels, annotations } = object.metadata ?? {};
        const file = `${cache.kind.path.replace(/\/[^/]+$/, '')}/namespaces/${namespace}/${cache.kind.path.split('/').at(-1)}/${name}`;
        // Only what the resource schemas know: the server's own metadata (uid, resourceVersion, managedFields…) and
        // status are not the author's and would fail the strict schemas.
        const resource = {
          apiVersion: object.apiVersion,
          kind: object.kind,
          metadata: { name, namespace, ...(labels ? { labels } : {}), ...(annotations ? { annotations: authored(annotations) } : {}) },
          spec: object.spec,
        };
        docs.push({ file, text: JSON.stringify(resource) });
      }
    }
    // A Service's outbound annotations (retries, timeouts, failure accrual) are read from the Service itself.
    for (const svc of this.services.list()) {
      const outbound = Object.fromEntries(Object.entries(svc.metadata?.annotations ?? {}).filter(([k]) => isOutboundAnnotation(k)));
      if (Object.keys(outbound).length === 0) continue;
      const { name, namespace } = svc.metadata ?? {};
      const resource = { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace, annotations: outbound } };
      docs.push({ file: `/api/v1/namespaces/${namespace}/services/${name}`, text: JSON.stringify(resource) });
    }
    return docs.sort((a, b) => a.file.localeCompare(b.file));
  }
}

/** The annotations an author wrote, without the copy of the whole object kubectl keeps in one. */
function authored(annotations: Record<string, string>): Record<string, string> {
  const { 'kubectl.kubernetes.io/last-applied-configuration': _applied, ...rest } = annotations;
  return rest;
}
